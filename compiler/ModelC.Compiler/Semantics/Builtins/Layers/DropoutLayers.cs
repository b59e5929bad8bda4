using System.Collections.Immutable;
using System.Text;
using ModelC.Compiler.IR;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>
/// Dropout and alpha dropout: active in the training graph (the train step), the identity in
/// inference and evaluation. Masks are a hash of (the layer's path and seed, the train-step
/// count, the element's index), so a run is reproducible and every backend draws the same mask.
/// </summary>
internal static class DropoutLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        Layer("dropout", "In training, zeroes each element with probability p and scales the rest by 1/(1 − p) (torch.nn.Dropout); the identity in inference and evaluation. Masks are seeded by the layer's name and seed and change every train step.",
            Dropout.Standard),
        Layer("alpha_dropout", "Dropout for SELU networks (torch.nn.AlphaDropout): in training, dropped elements take SELU's negative saturation and an affine map keeps the mean and variance of a normalised input; the identity in inference and evaluation.",
            Dropout.Alpha),
    ];

    private static LayerBuiltin Layer(string name, string summary, Func<GraphBuilder, Node, Node, int, double, Node> lower) =>
        new(name, summary, "x → x", [Float("p", 0.5, Probability), Int("seed", 0)], (ctx, args, inputs) =>
        {
            var x = inputs[0];
            if (!ctx.ExpectFloat(x))
            {
                return null;
            }
            var p = args.Float("p");
            return ctx.Training && p > 0
                ? LayerContext.Result(lower(ctx.Graph, x.Node, ctx.DropoutStep(), Salt(ctx.PathOf(name), args.Int("seed")), p))
                : x;
        });

    // Dropping every element (p = 1) would scale by 1/0; torch's p = 1 output (all zeros) is not useful to train.
    private static string? Probability(Value value) =>
        value is FloatValue { Value: < 0 or >= 1 } f ? $"must be at least 0 and below 1, got {f.Display}" : null;

    // FNV-1a of the layer's path, plus the seed times the golden-ratio constant: one stream per layer and seed.
    private static int Salt(string path, int seed)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }
        return unchecked((int)(hash + (uint)seed * 0x9E3779B9u));
    }
}
