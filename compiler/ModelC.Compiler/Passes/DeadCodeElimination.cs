using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes;

/// <summary>
/// Removes nodes no result depends on. Inputs are interface, so they are kept unless asked
/// otherwise (the inference graph drops inputs only the loss used, such as labels).
/// </summary>
public static class DeadCodeElimination
{
    /// <summary>The graph without unused nodes.</summary>
    public static Graph Run(Graph graph, bool keepUnusedInputs)
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
        var kept = graph.Nodes.Where(n => live.Contains(n) || (keepUnusedInputs && n.Op is InputOp));
        return new Graph(graph.Name, [.. kept], graph.Outputs);
    }
}
