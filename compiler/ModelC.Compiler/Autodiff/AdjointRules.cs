using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Autodiff;

/// <summary>
/// The vector-Jacobian product of each primitive op: given a node and the adjoint of its result,
/// the contribution to the adjoint of each operand (null where there is none, e.g. for indices
/// and conditions). Composite layers need no rules: they are differentiated through the
/// primitives they lower to.
/// </summary>
internal static class AdjointRules
{
    /// <summary>
    /// The operand adjoints of <paramref name="node"/> (a node of the graph being built) given its
    /// result's adjoint; <paramref name="needed"/> says which operands want one, so that costly
    /// products nobody uses are not built.
    /// </summary>
    public static Node?[] Apply(GraphBuilder g, Node node, Node adjoint, bool[] needed) => node.Op switch
    {
        UnaryOp op => [ElementwiseAdjoints.Unary(g, op.Kind, node, adjoint)],
        BinaryOp op => ElementwiseAdjoints.Binary(g, op.Kind, node, adjoint, needed),
        SelectOp => ElementwiseAdjoints.Select(g, node, adjoint),
        CastOp => [adjoint],
        CompareOp => [null, null],
        ReduceOp op => [ReductionAdjoints.Reduce(g, op, node, adjoint)],
        ContractOp op => ReductionAdjoints.Contract(g, op, node, adjoint, needed),
        ReshapeOp => [g.Reshape(adjoint, node.Inputs[0].Type.Shape)],
        PermuteOp op => [g.Permute(adjoint, [.. op.Inverse()])],
        BroadcastOp op => [MovementAdjoints.Broadcast(g, op, node, adjoint)],
        SliceOp op => [MovementAdjoints.Slice(g, op, node, adjoint)],
        PadOp op => [MovementAdjoints.Pad(g, op, node, adjoint)],
        ConcatOp op => MovementAdjoints.Concat(g, op, node, adjoint),
        ReverseOp op => [g.Add(op, adjoint)],
        UnfoldOp op => [g.Add(new FoldOp(op.Window, Size(node.Inputs[0], 2), Size(node.Inputs[0], 1)), adjoint)],
        FoldOp op => [g.Add(new UnfoldOp(op.Window), adjoint)],
        GatherOp op => [g.Add(new ScatterAddOp(op.Axis, node.Inputs[0].Type.Shape[op.Axis].FixedSize), adjoint, node.Inputs[1]), null],
        ScatterAddOp op => [g.Add(new GatherOp(op.Axis), adjoint, node.Inputs[1]), null],
        _ => throw new InvalidOperationException($"no adjoint rule for {node.Op.Mnemonic}"),
    };

    // The size of the axis `fromEnd` places from the end (1 = last).
    private static int Size(Node node, int fromEnd) => node.Type.Shape[node.Type.Rank - fromEnd].FixedSize;
}
