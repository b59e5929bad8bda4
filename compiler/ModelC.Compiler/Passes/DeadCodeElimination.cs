using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes;

/// <summary>
/// Removes nodes no result depends on. As a pipeline pass it keeps every input, parameter and
/// state: which of those exist is the model's interface, decided once by elaboration (whose own
/// run, <see cref="Run(Graph, bool)"/>, drops the inputs only the loss used from the inference graph).
/// </summary>
public sealed class DeadCodeElimination : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "dce";

    /// <inheritdoc/>
    public Graph Run(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Run(graph, keep: n => n.Op is InputOp or ParameterOp or StateOp);
    }

    /// <summary>
    /// The graph without unused nodes, unused parameters and states included; unused inputs are
    /// kept when <paramref name="keepUnusedInputs"/> is set.
    /// </summary>
    public static Graph Run(Graph graph, bool keepUnusedInputs)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Run(graph, keep: n => keepUnusedInputs && n.Op is InputOp);
    }

    private static Graph Run(Graph graph, Func<Node, bool> keep)
    {
        var live = new HashSet<Node>();
        var pending = new Stack<Node>(graph.Outputs.Select(o => o.Value));
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (live.Add(node))
            {
                foreach (var input in node.Inputs)
                {
                    pending.Push(input);
                }
            }
        }
        var kept = graph.Nodes.Where(n => live.Contains(n) || keep(n)).ToList();
        return kept.Count == graph.Nodes.Length ? graph : new Graph(graph.Name, [.. kept], graph.Outputs);
    }
}
