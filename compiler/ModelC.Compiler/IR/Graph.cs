using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.IR;

/// <summary>
/// A typed dataflow graph of primitive ops: the IR. Nodes are in topological order; leaves
/// (inputs, parameters, states, constants) have no operands. Built by <see cref="GraphBuilder"/>,
/// checked by <see cref="GraphVerifier"/>, printed by <see cref="GraphPrinter"/>.
/// </summary>
public sealed class Graph
{
    internal Graph(string name, ImmutableArray<Node> nodes, ImmutableArray<GraphOutput> outputs)
    {
        Name = name;
        Nodes = nodes;
        Outputs = outputs;
    }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>Every node, operands before users.</summary>
    public ImmutableArray<Node> Nodes { get; }

    /// <summary>The results: outputs, the loss, state updates.</summary>
    public ImmutableArray<GraphOutput> Outputs { get; }

    /// <summary>The input nodes in declaration order.</summary>
    public IEnumerable<Node> Inputs => Nodes.Where(n => n.Op is InputOp);

    /// <summary>The trainable parameter nodes in creation order.</summary>
    public IEnumerable<Node> Parameters => Nodes.Where(n => n.Op is ParameterOp);

    /// <summary>The state nodes in creation order.</summary>
    public IEnumerable<Node> States => Nodes.Where(n => n.Op is StateOp);

    /// <summary>The loss node, if the model has one.</summary>
    public Node? Loss => Outputs.FirstOrDefault(o => o.Role == OutputRole.Loss)?.Value;

    /// <summary>The symbolic dimensions used anywhere in the graph.</summary>
    public ImmutableArray<string> Symbols =>
        [.. Nodes.SelectMany(n => n.Type.Shape.Dims).Where(d => !d.IsFixed).Select(d => d.Symbol!).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The total number of trainable scalars.</summary>
    public long ParameterCount => Parameters.Sum(p => p.Type.Shape.FixedElementCount);
}
