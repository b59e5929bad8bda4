using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Lowering;

/// <summary>Training losses, each reducing to a scalar mean.</summary>
public static class Losses
{
    /// <summary>Mean of (p − t)².</summary>
    public static Node MeanSquaredError(GraphBuilder g, Node prediction, Node target)
    {
        var diff = g.Binary(BinaryKind.Sub, prediction, target);
        return MeanAll(g, g.Binary(BinaryKind.Mul, diff, diff));
    }

    /// <summary>Mean of |p − t|.</summary>
    public static Node MeanAbsoluteError(GraphBuilder g, Node prediction, Node target) =>
        MeanAll(g, g.Unary(UnaryKind.Abs, g.Binary(BinaryKind.Sub, prediction, target)));

    /// <summary>
    /// The relative L2 error of operator learning: per sample (axis 0) ‖p − t‖₂ / ‖t‖₂ over
    /// all other axes, averaged over the batch.
    /// </summary>
    public static Node RelativeL2(GraphBuilder g, Node prediction, Node target)
    {
        var axes = Enumerable.Range(1, prediction.Type.Rank - 1).ToArray();
        var diff = g.Binary(BinaryKind.Sub, prediction, target);
        var errorNorm = g.Unary(UnaryKind.Sqrt, g.Reduce(ReduceKind.Sum, g.Binary(BinaryKind.Mul, diff, diff), axes));
        var targetNorm = g.Unary(UnaryKind.Sqrt, g.Reduce(ReduceKind.Sum, g.Binary(BinaryKind.Mul, target, target), axes));
        return g.Mean(g.Binary(BinaryKind.Div, errorNorm, targetNorm), 0);
    }

    /// <summary>
    /// Cross-entropy of logits (classes on the last axis) against integer labels (the logits'
    /// shape without that axis), averaged over all labels. A label outside [0, classes) matches
    /// no class and contributes zero, so the runtime refuses such labels in model inputs
    /// (<see cref="IR.IndexBounds"/>).
    /// </summary>
    public static Node CrossEntropy(GraphBuilder g, Node logits, Node labels)
    {
        var classAxis = logits.Type.Rank - 1;
        var logProbabilities = Activations.LogSoftmax(g, logits, classAxis);
        var classIndex = g.Add(new IotaOp(classAxis, logits.Type));
        var labelIndex = g.Unreduce(g.Cast(labels, ElementType.F32), logits.Type.Shape, classAxis);
        var oneHot = g.Cast(g.Compare(CompareKind.Eq, classIndex, labelIndex), ElementType.F32);
        var picked = g.Reduce(ReduceKind.Sum, g.Binary(BinaryKind.Mul, oneHot, logProbabilities), classAxis);
        return g.Unary(UnaryKind.Neg, MeanAll(g, picked));
    }

    private static Node MeanAll(GraphBuilder g, Node x) => g.Mean(x, [.. Enumerable.Range(0, x.Type.Rank)]);
}
