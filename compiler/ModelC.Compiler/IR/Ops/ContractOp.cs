using System.Collections.Immutable;

namespace ModelC.Compiler.IR.Ops;

/// <summary>
/// A two-operand einsum: each operand's axes carry labels; labels shared with the output are
/// kept (batch or free axes), labels missing from the output are summed over. Matmul, linear
/// layers, attention and convolution (over an unfolded input) are all contractions.
/// </summary>
public sealed record ContractOp(ImmutableArray<int> Left, ImmutableArray<int> Right, ImmutableArray<int> Output) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "contract";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.OutputFusable;

    /// <inheritdoc/>
    /// <remarks>Each operand element meets every element of the other operand's free axes.</remarks>
    public override bool ReadsInputRepeatedly(int index, IReadOnlyList<TensorType> inputs, TensorType result) => true;

    /// <inheritdoc/>
    public bool Equals(ContractOp? other) =>
        other is not null && AttributeEquality.Equal(Left, other.Left) && AttributeEquality.Equal(Right, other.Right) && AttributeEquality.Equal(Output, other.Output);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(AttributeEquality.Hash(Left), AttributeEquality.Hash(Right), AttributeEquality.Hash(Output));

    /// <inheritdoc/>
    public override string FormatAttributes() => $"{Letters(Left)},{Letters(Right)}->{Letters(Output)}";

    /// <summary>The labels summed over: in an operand but not in the output.</summary>
    public ImmutableArray<int> ContractedLabels => [.. Left.Concat(Right).Distinct().Except(Output)];

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        ExpectFloat(inputs[0]);
        ExpectFloat(inputs[1]);
        if (inputs[0].Rank != Left.Length || inputs[1].Rank != Right.Length)
        {
            Fail($"labels {FormatAttributes()} do not match ranks of {inputs[0]} and {inputs[1]}");
        }
        if (Left.Concat(Right).Concat(Output).Any(l => l < 0 || l >= 26))
        {
            Fail("labels must be 0..25");
        }
        if (Left.Distinct().Count() != Left.Length || Right.Distinct().Count() != Right.Length || Output.Distinct().Count() != Output.Length)
        {
            Fail($"repeated label in {FormatAttributes()}");
        }
        var sizes = new Dictionary<int, Dim>();
        Bind(sizes, Left, inputs[0].Shape);
        Bind(sizes, Right, inputs[1].Shape);
        var dims = new List<Dim>();
        foreach (var label in Output)
        {
            if (!sizes.TryGetValue(label, out var dim))
            {
                Fail($"output label {Letter(label)} is in no operand");
            }
            dims.Add(dim);
        }
        return TensorType.F32(Shape.Of(dims));
    }

    private void Bind(Dictionary<int, Dim> sizes, ImmutableArray<int> labels, Shape shape)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (sizes.TryGetValue(labels[i], out var existing) && existing != shape[i])
            {
                Fail($"label {Letter(labels[i])} has sizes {existing} and {shape[i]}");
            }
            sizes[labels[i]] = shape[i];
        }
    }

    private static string Letters(ImmutableArray<int> labels) => string.Concat(labels.Select(Letter));

    private static char Letter(int label) => (char)('a' + label);
}
