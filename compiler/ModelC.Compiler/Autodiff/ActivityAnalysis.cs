using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Autodiff;

/// <summary>
/// Which nodes need an adjoint: f32 nodes that depend on a differentiated leaf (varying) and
/// that the loss depends on (useful). Everything else is left out of the backward pass. A
/// reduction that stops the gradient (<see cref="ReduceOp.StopsGradient"/>) does not vary.
/// </summary>
internal static class ActivityAnalysis
{
    /// <summary>The nodes that are both varying and useful.</summary>
    public static HashSet<Node> ActiveNodes(Graph graph, Node loss, IReadOnlyList<Node> leaves)
    {
        var varying = leaves.ToHashSet();
        foreach (var node in graph.Nodes)
        {
            if (node.Type.ElementType == ElementType.F32 && node.Op is not ReduceOp { StopsGradient: true } && node.Inputs.Any(varying.Contains))
            {
                varying.Add(node);
            }
        }
        var active = new HashSet<Node>();
        var pending = new Stack<Node>();
        pending.Push(loss);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (varying.Contains(node) && active.Add(node))
            {
                foreach (var input in node.Inputs)
                {
                    pending.Push(input);
                }
            }
        }
        return active;
    }
}
