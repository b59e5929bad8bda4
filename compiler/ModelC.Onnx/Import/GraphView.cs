using ModelC.Onnx.Proto;
using ModelC.Runtime;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Import;

/// <summary>What the import's patterns ask of an ONNX graph: who computes and who reads each value, its constants, its shapes.</summary>
internal sealed class GraphView(GraphProto graph, IReadOnlyDictionary<string, DataArray> initializers)
{
    private readonly ILookup<string, NodeProto> _readers = graph.Node.SelectMany(n => n.Input.Distinct().Select(i => (i, n))).ToLookup(p => p.i, p => p.n, StringComparer.Ordinal);
    private readonly HashSet<string> _graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The shapes and shape arithmetic of the graph.</summary>
    public GraphShapes Shapes { get; } = new(graph);

    /// <summary>The node that computes <paramref name="value"/>, if a node does.</summary>
    public NodeProto? Producer(string value) => Shapes.Producer(value);

    /// <summary>
    /// Whether only <paramref name="within"/> and Shape nodes read <paramref name="node"/>'s outputs
    /// and none is a graph output: then the node can be replaced together with those readers.
    /// </summary>
    public bool IsReadOnlyBy(NodeProto node, IReadOnlySet<NodeProto> within) =>
        node.Output.All(o => !_graphOutputs.Contains(o) && _readers[o].All(r => within.Contains(r) || r.OpType == "Shape"));

    /// <summary>The dimensions of a tensor, or null where they cannot be followed.</summary>
    public IReadOnlyList<SymbolicDim>? Dims(string value) => Shapes.Dims(value);

    /// <summary>Every node reading <paramref name="value"/>.</summary>
    public IEnumerable<NodeProto> ReadersOf(string value) => _readers[value];

    /// <summary>The operand of a binary node that is not <paramref name="operand"/>'s output.</summary>
    public static string Other(NodeProto binary, NodeProto operand) =>
        binary.Input[0] == operand.Output[0] ? binary.Input[1] : binary.Input[0];

    /// <summary>Whether a constant is there and equals <paramref name="wanted"/> to float precision.</summary>
    public static bool Near(double? value, double wanted) => value is { } v && Math.Abs(v - wanted) <= 1e-6 * Math.Abs(wanted);

    /// <summary>The one node reading the node's first output, Shape nodes aside; null when there are none or several.</summary>
    public NodeProto? SingleReader(NodeProto node)
    {
        var readers = _readers[node.Output[0]].Where(r => r.OpType != "Shape").ToList();
        return readers.Count == 1 ? readers[0] : null;
    }

    /// <summary>A float constant: an initializer, a Constant node, or an Identity of either.</summary>
    public DataArray? Constant(string value)
    {
        if (initializers.TryGetValue(value, out var constant))
        {
            return constant.Type == ElementType.F32 ? constant : null;
        }
        return Producer(value) switch
        {
            { OpType: "Constant" } node when node.Attribute.FirstOrDefault(a => a.Name == "value") is { T: { DataType: (int)TensorProto.Types.DataType.Float } t } => OnnxTensors.FromTensor(t),
            { OpType: "Identity" } node => Constant(node.Input[0]),
            _ => null,
        };
    }

    /// <summary>The value of a one-element float constant.</summary>
    public double? Scalar(string value) => Constant(value) is { Count: 1 } c ? ((float[])c.Data)[0] : null;
}
