using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Multi-output reductions, the rule "sibling reductions over the same domain share one kernel":
/// stored reductions of inputs of one shape over the same axes, whose inputs read a common value
/// at the element being reduced, are computed by one map kernel with a result each, which reads
/// the common operand once. A layer norm's backward sums dy·x̂ (the gain's gradient) and dy (the
/// bias's) over the same rows: as two kernels it streamed dy twice. A member's input must inline
/// only elementwise ops and views that do not select per element (a plain map of each term, no
/// nested reduction). The common value is a node that both inputs reach through elementwise ops
/// only: a stored one loaded at the same element, or an inlined view (a broadcast) read at the
/// same index. Nodes join a group in graph order and the kernel runs where the group's last
/// member was, so a node joins only when no kernel between the members reads a member, and when
/// it reads no member itself. Each result keeps its own reduction, so each sum adds its terms in
/// the order it did alone (the code generator shares only the loops).
/// </summary>
internal static class SiblingReductions
{
    /// <summary>The groups of two or more stored reductions of <paramref name="graph"/> that share a kernel, each in graph order.</summary>
    public static IReadOnlyList<IReadOnlyList<Node>> Plan(Graph graph, IReadOnlySet<Node> materialized)
    {
        var position = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            position[node] = position.Count;
        }
        // Every kernel's stored reads, to find the kernels that read a member.
        var (kernels, readers) = KernelReads.OfEveryKernel(graph, materialized);

        // Each candidate's term reads, computed once: every later candidate compares with every member.
        var terms = graph.Nodes.Where(n => kernels.TryGetValue(n, out var r) && r.PlainMap && n.Op is ReduceOp)
            .ToDictionary(n => n, n => TermReads(n.Inputs[0], materialized), (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        var groups = new List<List<Node>>();
        foreach (var node in graph.Nodes.Where(terms.ContainsKey))
        {
            var group = groups.FirstOrDefault(g => SameDomain(g[0], node) && g.Any(m => terms[m].Overlaps(terms[node]))
                && g.All(m => !kernels[node].All.Contains(m) && readers.GetValueOrDefault(m, []).All(reader => position[reader] > position[node])));
            if (group is null)
            {
                groups.Add([node]);
            }
            else
            {
                group.Add(node);
            }
        }
        return [.. groups.Where(g => g.Count > 1)];
    }

    // Reductions of one input shape over the same axes to one result shape: the same loops.
    private static bool SameDomain(Node a, Node b) =>
        ((ReduceOp)a.Op).Axes.SequenceEqual(((ReduceOp)b.Op).Axes)
        && a.Inputs[0].Type.Shape.Equals(b.Inputs[0].Type.Shape) && a.Type.Shape.Equals(b.Type.Shape);

    // The nodes a term reads at its own element: through inlined elementwise ops down to a
    // stored node or to an inlined node of another kind (a view), which it evaluates there.
    private static HashSet<Node> TermReads(Node term, IReadOnlySet<Node> materialized)
    {
        var found = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        void Visit(Node node)
        {
            if (!seen.Add(node))
            {
                return;
            }
            if (materialized.Contains(node) || node.Op.FusionPattern != FusionPattern.Elementwise)
            {
                found.Add(node);
                return;
            }
            foreach (var input in node.Inputs)
            {
                Visit(input);
            }
        }
        Visit(term);
        return found;
    }
}
