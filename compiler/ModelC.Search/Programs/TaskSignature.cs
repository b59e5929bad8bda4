using System.Collections.Immutable;
using ModelC.Search.Space;

namespace ModelC.Search.Programs;

/// <summary>
/// What a classification task feeds a candidate: a float input of a sample shape and integer
/// class labels. A vector input (D) is searched as one token (1, D); images (C, H, W) and
/// tokens (S, D) as they are.
/// </summary>
/// <param name="Input">The input's name in the data.</param>
/// <param name="InputDims">A sample's shape: (D), (S, D) or (C, H, W).</param>
/// <param name="Label">The labels' name in the data.</param>
/// <param name="Classes">The number of classes; labels are 0 … Classes − 1.</param>
public sealed record TaskSignature(string Input, ImmutableArray<int> InputDims, string Label, int Classes)
{
    /// <summary>The shape the sampler starts from.</summary>
    /// <exception cref="InvalidOperationException">The input is not of rank 1 to 3.</exception>
    public FeatureShape SearchInput => InputDims.Length switch
    {
        1 => new FeatureShape([1, InputDims[0]]),
        2 or 3 => new FeatureShape(InputDims),
        _ => throw new InvalidOperationException($"input '{Input}' has {InputDims.Length} dimensions per sample; einspace searches vectors (D), tokens (S, D) and images (C, H, W)"),
    };
}
