using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>LayerNorm, BatchNorm, RMSNorm, and einspace's <c>norm</c> that picks by rank.</summary>
internal static class NormalizationLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        new LayerBuiltin("norm", "einspace's norm: LayerNorm on the last dimension for (B, D) and (B, S, D), BatchNorm over channels for (B, C, H, W).",
            "x → x", [Float("eps", 1e-5, Checks.Positive)], AutoNorm),
        new LayerBuiltin("layer_norm", "Normalises the last dimension to zero mean and unit variance, then scales and shifts per feature.",
            "(…, D) → (…, D)", [Float("eps", 1e-5, Checks.Positive), Bool("affine", true)],
            (ctx, args, inputs) => LayerNorm(ctx, inputs[0], args.Float("eps"), args.Bool("affine"))),
        new LayerBuiltin("batch_norm", "Normalises each channel (dimension 1) over the batch and the other dimensions; batch statistics in training, running statistics in inference.",
            "(B, C, …) → (B, C, …)", [Float("eps", 1e-5, Checks.Positive), Float("momentum", 0.1, Checks.Fraction), Bool("affine", true)],
            (ctx, args, inputs) => BatchNorm(ctx, inputs[0], args.Float("eps"), args.Float("momentum"), args.Bool("affine"))),
        new LayerBuiltin("rms_norm", "Divides by the root mean square of the last dimension, then scales per feature.",
            "(…, D) → (…, D)", [Float("eps", 1e-6, Checks.Positive)], RmsNorm),
    ];

    private static TensorValue? AutoNorm(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        return x.Rank switch
        {
            2 or 3 => LayerNorm(ctx, x, args.Float("eps"), affine: true),
            4 => BatchNorm(ctx, x, args.Float("eps"), 0.1, affine: true),
            _ => ctx.Fail($"expects (B, D), (B, S, D) or (B, C, H, W), got {x.Type}"),
        };
    }

    private static TensorValue? LayerNorm(LayerContext ctx, TensorValue x, double eps, bool affine)
    {
        if (!ctx.ExpectFloat(x) || !ctx.ExpectMinRank(x, 1, "a tensor with a feature dimension") || !ctx.ExpectFixed(x, x.Rank - 1, "normalise"))
        {
            return null;
        }
        var features = Shape.Of(x.Shape[x.Rank - 1].FixedSize);
        var weight = affine ? ctx.Parameter("weight", features, new ConstantInit(1)) : null;
        var bias = affine ? ctx.Parameter("bias", features, new ConstantInit(0)) : null;
        return LayerContext.Result(Normalization.LayerNorm(ctx.Graph, x.Node, eps, weight, bias));
    }

    private static TensorValue? BatchNorm(LayerContext ctx, TensorValue x, double eps, double momentum, bool affine)
    {
        if (!ctx.ExpectFloat(x) || x.Rank is < 2 or > 4)
        {
            return x.Rank is < 2 or > 4 ? ctx.Fail($"expects (B, C), (B, C, L) or (B, C, H, W), got {x.Type}") : null;
        }
        if (!ctx.ExpectFixed(x, 1, "normalise over"))
        {
            return null;
        }
        var channels = Shape.Of(x.Shape[1].FixedSize);
        var weight = affine ? ctx.Parameter("weight", channels, new ConstantInit(1)) : null;
        var bias = affine ? ctx.Parameter("bias", channels, new ConstantInit(0)) : null;
        var runningMean = ctx.State("running_mean", channels, new ConstantInit(0));
        var runningVar = ctx.State("running_var", channels, new ConstantInit(1));
        var (y, newMean, newVar) = Normalization.BatchNorm(ctx.Graph, x.Node, runningMean, runningVar, weight, bias, eps, momentum, ctx.Training);
        if (newMean is not null && newVar is not null)
        {
            ctx.UpdateState(runningMean, newMean);
            ctx.UpdateState(runningVar, newVar);
        }
        return LayerContext.Result(y);
    }

    private static TensorValue? RmsNorm(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        if (!ctx.ExpectFloat(x) || !ctx.ExpectMinRank(x, 1, "a tensor with a feature dimension") || !ctx.ExpectFixed(x, x.Rank - 1, "normalise"))
        {
            return null;
        }
        var weight = ctx.Parameter("weight", Shape.Of(x.Shape[x.Rank - 1].FixedSize), new ConstantInit(1));
        return LayerContext.Result(Normalization.RmsNorm(ctx.Graph, x.Node, args.Float("eps"), weight));
    }
}
