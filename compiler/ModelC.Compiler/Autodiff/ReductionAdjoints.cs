using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Autodiff;

/// <summary>Adjoints of the ops that sum or maximise over axes: reductions and contractions.</summary>
internal static class ReductionAdjoints
{
    /// <summary>
    /// A sum spreads the adjoint back over the reduced axes; a maximum sends it to the
    /// elements equal to the maximum, split evenly among ties (as <c>torch.amax</c> does).
    /// </summary>
    public static Node Reduce(GraphBuilder g, ReduceOp op, Node y, Node dy)
    {
        var x = y.Inputs[0];
        var axes = op.Axes.ToArray();
        if (op.Kind == ReduceKind.Sum)
        {
            return g.Unreduce(dy, x.Type.Shape, axes);
        }
        var winners = g.Cast(g.Compare(CompareKind.Eq, x, g.Unreduce(y, x.Type.Shape, axes)), ElementType.F32);
        var share = g.Binary(BinaryKind.Div, dy, g.Reduce(ReduceKind.Sum, winners, axes));
        return g.Binary(BinaryKind.Mul, winners, g.Unreduce(share, x.Type.Shape, axes));
    }

    /// <summary>
    /// Each operand's adjoint is the contraction of the result's adjoint with the other operand
    /// onto the operand's labels; labels only that operand had (summed away) are broadcast back.
    /// </summary>
    public static Node?[] Contract(GraphBuilder g, ContractOp op, Node y, Node dy, bool[] needed) =>
    [
        needed[0] ? Operand(g, op.Left, y.Inputs[0], op.Right, y.Inputs[1], op.Output, dy) : null,
        needed[1] ? Operand(g, op.Right, y.Inputs[1], op.Left, y.Inputs[0], op.Output, dy) : null,
    ];

    private static Node Operand(GraphBuilder g, IReadOnlyList<int> labels, Node operand, IReadOnlyList<int> otherLabels, Node other, IReadOnlyList<int> outputLabels, Node dy)
    {
        var kept = labels.Where(l => outputLabels.Contains(l) || otherLabels.Contains(l)).ToArray();
        var partial = g.Contract(dy, other, [.. outputLabels], [.. otherLabels], kept);
        return g.BroadcastAlong(partial, operand.Type.Shape, [.. kept.Select(l => labels.IndexOf(l))]);
    }

    private static int IndexOf(this IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }
        return -1;
    }
}
