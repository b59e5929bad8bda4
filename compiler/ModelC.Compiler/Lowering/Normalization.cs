using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Lowering;

/// <summary>Normalisation layers as compositions of primitives (biased variance, as PyTorch).</summary>
public static class Normalization
{
    /// <summary>(x − mean) / √(var + eps) over the last axis, then an optional per-feature scale and shift.</summary>
    public static Node LayerNorm(GraphBuilder g, Node x, double eps, Node? weight, Node? bias)
    {
        var axis = x.Type.Rank - 1;
        var centered = g.Binary(BinaryKind.Sub, x, g.Unreduce(g.Mean(x, axis), x.Type.Shape, axis));
        var variance = g.Mean(g.Binary(BinaryKind.Mul, centered, centered), axis);
        var normalized = g.Binary(BinaryKind.Div, centered, g.Unreduce(StdDev(g, variance, eps), x.Type.Shape, axis));
        return Affine(g, normalized, weight, bias, axis);
    }

    /// <summary>x / √(mean(x²) + eps) over the last axis, times a per-feature scale.</summary>
    public static Node RmsNorm(GraphBuilder g, Node x, double eps, Node weight)
    {
        var axis = x.Type.Rank - 1;
        var meanSquare = g.Mean(g.Binary(BinaryKind.Mul, x, x), axis);
        var normalized = g.Binary(BinaryKind.Div, x, g.Unreduce(StdDev(g, meanSquare, eps), x.Type.Shape, axis));
        return Affine(g, normalized, weight, null, axis);
    }

    /// <summary>
    /// Batch normalisation over axis 1 (channels). In training it normalises with the batch's
    /// statistics and returns the updated running statistics; in inference it uses the running
    /// ones and multiplies by the reciprocal of the standard deviation instead of dividing.
    /// </summary>
    public static (Node Output, Node? RunningMean, Node? RunningVar) BatchNorm(
        GraphBuilder g, Node x, Node runningMean, Node runningVar, Node? weight, Node? bias,
        double eps, double momentum, bool training)
    {
        var shape = x.Type.Shape;
        var axes = Enumerable.Range(0, shape.Rank).Where(a => a != 1).ToArray();
        Node mean, variance;
        Node? newMean = null, newVar = null;
        if (training)
        {
            mean = g.Mean(x, axes);
            var centeredForVar = g.Binary(BinaryKind.Sub, x, g.Unreduce(mean, shape, axes));
            variance = g.Mean(g.Binary(BinaryKind.Mul, centeredForVar, centeredForVar), axes);
            // Running variance uses the unbiased estimate n/(n−1)·var, as PyTorch does.
            var count = g.Count(shape, axes);
            var unbiased = g.Binary(BinaryKind.Mul, variance,
                g.Binary(BinaryKind.Div, count, g.Binary(BinaryKind.Sub, count, 1.0)));
            newMean = Blend(g, runningMean, mean, momentum);
            newVar = Blend(g, runningVar, unbiased, momentum);
        }
        else
        {
            mean = runningMean;
            variance = runningVar;
        }
        var centered = g.Binary(BinaryKind.Sub, x, g.Unreduce(mean, shape, axes));
        // Inference multiplies by 1 / √(var + eps), computed once per channel (as PyTorch's eval
        // does): a division per element cost a convolution's fused epilogue more than its stores.
        var normalized = training
            ? g.Binary(BinaryKind.Div, centered, g.Unreduce(StdDev(g, variance, eps), shape, axes))
            : g.Binary(BinaryKind.Mul, centered, g.Unreduce(g.Unary(UnaryKind.Reciprocal, StdDev(g, variance, eps)), shape, axes));
        if (weight is not null)
        {
            normalized = g.Binary(BinaryKind.Mul, normalized, g.BroadcastAlong(weight, shape, 1));
        }
        if (bias is not null)
        {
            normalized = g.Binary(BinaryKind.Add, normalized, g.BroadcastAlong(bias, shape, 1));
        }
        return (normalized, newMean, newVar);
    }

    private static Node StdDev(GraphBuilder g, Node variance, double eps) =>
        g.Unary(UnaryKind.Sqrt, g.Binary(BinaryKind.Add, variance, eps));

    private static Node Affine(GraphBuilder g, Node x, Node? weight, Node? bias, int axis)
    {
        if (weight is not null)
        {
            x = g.Binary(BinaryKind.Mul, x, g.BroadcastAlong(weight, x.Type.Shape, axis));
        }
        if (bias is not null)
        {
            x = g.Binary(BinaryKind.Add, x, g.BroadcastAlong(bias, x.Type.Shape, axis));
        }
        return x;
    }

    // (1 − m)·old + m·new
    private static Node Blend(GraphBuilder g, Node old, Node value, double momentum) =>
        g.Binary(BinaryKind.Add, g.Binary(BinaryKind.Mul, old, 1 - momentum), g.Binary(BinaryKind.Mul, value, momentum));
}
