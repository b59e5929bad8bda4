using ModelC.Onnx.Proto;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Import;

/// <summary>A layer norm over the last axis found in its decomposed form (<see cref="LayerNormPattern"/>).</summary>
/// <param name="Result">The last node (the Add of the bias).</param>
/// <param name="Input">The normalised value.</param>
/// <param name="Epsilon">The ε added to the variance.</param>
/// <param name="WeightName">The scale's initializer name (the layer is named after it).</param>
/// <param name="Weight">The scale.</param>
/// <param name="Bias">The shift.</param>
/// <param name="Nodes">Every node of the subgraph, <see cref="Result"/> included.</param>
internal sealed record LayerNormMatch(NodeProto Result, string Input, double Epsilon, string WeightName, DataArray Weight, DataArray Bias, IReadOnlySet<NodeProto> Nodes);

/// <summary>
/// LayerNorm as PyTorch writes it below opset 17 (no LayerNormalization op), anchored at the
/// mean: ReduceMean(x) → x − mean → Pow 2 → ReduceMean → + ε → Sqrt → (x − mean) / √… → · w → + b,
/// both means over the last axis with the dimensions kept; the language's <c>layer_norm</c>.
/// </summary>
internal static class LayerNormPattern
{
    /// <summary>The layer norm whose first ReduceMean is <paramref name="mean"/>; null when the nodes around it differ.</summary>
    public static LayerNormMatch? Match(NodeProto mean, GraphView graph)
    {
        var x = mean.Input[0];
        if (!OverLastAxis(mean, graph)
            || graph.SingleReader(mean) is not { OpType: "Sub" } centered || centered.Input[0] != x || centered.Input[1] != mean.Output[0]
            || Readers(centered, graph) is not [_, _] both
            || both.FirstOrDefault(n => n.OpType == "Pow") is not { } squared || !GraphView.Near(graph.Scalar(squared.Input[1]), 2) || squared.Input[0] != centered.Output[0]
            || both.FirstOrDefault(n => n.OpType == "Div") is not { } normalised || normalised.Input[0] != centered.Output[0]
            || graph.SingleReader(squared) is not { OpType: "ReduceMean" } variance || !OverLastAxis(variance, graph)
            || graph.SingleReader(variance) is not { OpType: "Add" } shifted || graph.Scalar(GraphView.Other(shifted, variance)) is not { } epsilon
            || graph.SingleReader(shifted) is not { OpType: "Sqrt" } deviation || graph.SingleReader(deviation) != normalised || normalised.Input[1] != deviation.Output[0]
            || graph.SingleReader(normalised) is not { OpType: "Mul" } scaled || graph.SingleReader(scaled) is not { OpType: "Add" } result)
        {
            return null;
        }
        var weightName = GraphView.Other(scaled, normalised);
        if (graph.Dims(x) is not { Count: > 0 } dims || !dims[^1].IsStatic
            || graph.Constant(weightName) is not { Shape: [var w] } weight || w != dims[^1].Factor
            || graph.Constant(GraphView.Other(result, scaled)) is not { Shape: [var b] } bias || b != w)
        {
            return null;
        }
        var nodes = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance) { mean, centered, squared, variance, shifted, deviation, normalised, scaled, result };
        return nodes.All(n => ReferenceEquals(n, result) || graph.IsReadOnlyBy(n, nodes))
            ? new LayerNormMatch(result, x, epsilon, weightName, weight, bias, nodes) : null;
    }

    // A ReduceMean over the last axis only, keeping it (axes as an attribute, or from opset 18 an input).
    private static bool OverLastAxis(NodeProto reduce, GraphView graph)
    {
        var axes = reduce.Attribute.FirstOrDefault(a => a.Name == "axes")?.Ints.ToArray()
            ?? (reduce.Input.Count > 1 ? graph.Shapes.StaticValues(reduce.Input[1]) : null);
        var keeps = reduce.Attribute.FirstOrDefault(a => a.Name == "keepdims")?.I ?? 1;
        return keeps == 1 && axes is [var axis] && graph.Dims(reduce.Input[0]) is { } dims && (axis == -1 || axis == dims.Count - 1);
    }

    private static List<NodeProto> Readers(NodeProto node, GraphView graph) => [.. graph.ReadersOf(node.Output[0]).Where(r => r.OpType != "Shape")];

}
