using ModelC.Onnx.Proto;

namespace ModelC.Onnx.Import;

/// <summary>
/// The exact GELU as PyTorch writes it below opset 20, anchored at its Erf:
/// x/√2 → Erf → + 1 → x · (…) → · ½, which is the language's <c>gelu</c>.
/// </summary>
internal static class GeluPattern
{
    /// <summary>The GELU whose Erf is <paramref name="erf"/>: its last node, its input and all its nodes; null when the nodes around it differ.</summary>
    public static (NodeProto Result, string Input, IReadOnlySet<NodeProto> Nodes)? Match(NodeProto erf, GraphView graph)
    {
        if (graph.Producer(erf.Input[0]) is not { OpType: "Div" } scaled || !GraphView.Near(graph.Scalar(scaled.Input[1]), Math.Sqrt(2))
            || graph.SingleReader(erf) is not { OpType: "Add" } shifted || !GraphView.Near(graph.Scalar(GraphView.Other(shifted, erf)), 1)
            || graph.SingleReader(shifted) is not { OpType: "Mul" } gated || GraphView.Other(gated, shifted) != scaled.Input[0]
            || graph.SingleReader(gated) is not { OpType: "Mul" } halved || !GraphView.Near(graph.Scalar(GraphView.Other(halved, gated)), 0.5))
        {
            return null;
        }
        var nodes = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance) { scaled, erf, shifted, gated, halved };
        return nodes.All(n => ReferenceEquals(n, halved) || graph.IsReadOnlyBy(n, nodes)) ? (halved, scaled.Input[0], nodes) : null;
    }
}
