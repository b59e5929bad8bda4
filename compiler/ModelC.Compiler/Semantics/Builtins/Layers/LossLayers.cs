using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>Losses: two inputs (prediction, target) to a scalar mean.</summary>
internal static class LossLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        new LayerBuiltin("mse", "Mean squared error.", "(x, x) → f32[]", [], (ctx, _, i) => Regression(ctx, i, Losses.MeanSquaredError), arity: 2),
        new LayerBuiltin("l1", "Mean absolute error.", "(x, x) → f32[]", [], (ctx, _, i) => Regression(ctx, i, Losses.MeanAbsoluteError), arity: 2),
        new LayerBuiltin("rel_l2", "Relative L2 error per sample, ‖p − t‖ / ‖t‖ over all but the batch dimension, averaged over the batch.",
            "((B, …), (B, …)) → f32[]", [], RelativeL2, arity: 2),
        new LayerBuiltin("cross_entropy", "Cross-entropy of logits (classes on the last dimension) against integer labels, averaged over the labels. Labels fed by a model input must lie in [0, classes): the runtime refuses others before a run, as a label outside would silently add nothing to the loss.",
            "(f32(…, classes), i32(…)) → f32[]", [], CrossEntropy, arity: 2),
    ];

    private static TensorValue? Regression(LayerContext ctx, ImmutableArray<TensorValue> inputs, Func<GraphBuilder, Node, Node, Node> loss)
    {
        var (prediction, target) = (inputs[0], inputs[1]);
        if (!ctx.ExpectFloat(prediction) || !ctx.ExpectFloat(target))
        {
            return null;
        }
        return prediction.Type == target.Type
            ? LayerContext.Result(loss(ctx.Graph, prediction.Node, target.Node))
            : ctx.Fail($"needs prediction and target of the same shape, got {prediction.Type} and {target.Type}");
    }

    private static TensorValue? RelativeL2(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var (prediction, target) = (inputs[0], inputs[1]);
        if (prediction.Rank < 2 && prediction.Type == target.Type)
        {
            return ctx.Fail($"needs samples with at least one dimension after the batch, got {prediction.Type}");
        }
        return Regression(ctx, inputs, Losses.RelativeL2);
    }

    private static TensorValue? CrossEntropy(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var (logits, labels) = (inputs[0], inputs[1]);
        if (!ctx.ExpectFloat(logits) || !ctx.ExpectMinRank(logits, 1, "logits with a class dimension")
            || !ctx.ExpectFixed(logits, logits.Rank - 1, "classify along") || !ctx.ExpectInt(labels, "labels"))
        {
            return null;
        }
        var expected = Shape.Of(logits.Shape.Dims.Take(logits.Rank - 1));
        if (labels.Shape != expected)
        {
            return ctx.Fail($"needs labels i32{expected} for logits {logits.Type}, got {labels.Type}");
        }
        return LayerContext.Result(Losses.CrossEntropy(ctx.Graph, logits.Node, labels.Node));
    }
}
