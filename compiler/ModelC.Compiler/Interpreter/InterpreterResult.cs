using ModelC.Compiler.IR;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// What <see cref="ReferenceInterpreter.Run"/> computed: the graph's results by role, the sizes
/// it bound to symbolic dimensions, and the value of every node (for debugging and for checking
/// gradients node by node).
/// </summary>
public sealed class InterpreterResult
{
    private readonly IReadOnlyDictionary<Node, HostTensor> _values;

    internal InterpreterResult(Graph graph, IReadOnlyDictionary<string, int> bindings, IReadOnlyDictionary<Node, HostTensor> values)
    {
        Graph = graph;
        Bindings = bindings;
        _values = values;
        Outputs = Collect(OutputRole.Output);
        StateUpdates = Collect(OutputRole.StateUpdate);
        Gradients = Collect(OutputRole.Gradient);
        ParameterUpdates = Collect(OutputRole.ParameterUpdate);
        Loss = graph.Loss is { } loss ? values[loss] : null;
    }

    /// <summary>The graph that was run.</summary>
    public Graph Graph { get; }

    /// <summary>The size bound to each symbolic dimension (e.g. <c>B</c>) from the shapes of the inputs and parameters.</summary>
    public IReadOnlyDictionary<string, int> Bindings { get; }

    /// <summary>The named model outputs (<see cref="OutputRole.Output"/>).</summary>
    public IReadOnlyDictionary<string, HostTensor> Outputs { get; }

    /// <summary>The scalar loss, or null if the graph has none.</summary>
    public HostTensor? Loss { get; }

    /// <summary>The next value of each updated state, by state name (<see cref="OutputRole.StateUpdate"/>).</summary>
    public IReadOnlyDictionary<string, HostTensor> StateUpdates { get; }

    /// <summary>The loss gradient of each differentiated input or parameter, by its name (<see cref="OutputRole.Gradient"/>).</summary>
    public IReadOnlyDictionary<string, HostTensor> Gradients { get; }

    /// <summary>The next value of each parameter an optimizer step updates, by its name (<see cref="OutputRole.ParameterUpdate"/>).</summary>
    public IReadOnlyDictionary<string, HostTensor> ParameterUpdates { get; }

    /// <summary>The value computed for a node of <see cref="Graph"/>.</summary>
    /// <exception cref="ArgumentException">The node is not one of the graph's nodes.</exception>
    public HostTensor ValueOf(Node node) =>
        _values.TryGetValue(node, out var value)
            ? value
            : throw new ArgumentException($"{node} is not a node of graph {Graph.Name}", nameof(node));

    private Dictionary<string, HostTensor> Collect(OutputRole role) =>
        Graph.Outputs.Where(o => o.Role == role).ToDictionary(o => o.Name, o => _values[o.Value], StringComparer.Ordinal);
}
