using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Multi-output ("horizontal") fusion, the rule "sibling maps over the same elements share one
/// kernel": stored elementwise nodes of one shape whose kernels read a common stored value at
/// their own element, or one of which reads the other at its own element, are computed by one
/// map kernel that loads each input once and stores every result (an optimizer's moment and
/// parameter updates, which all read the gradient, the moments and the parameter, become one
/// kernel per parameter instead of three). A member qualifies when its kernel inlines only
/// elementwise ops and views that do not select per element (no reduction, no pad or
/// concatenation, no contraction epilogue): its body is then a plain per-element map. Nodes join
/// a group in graph order, the kernel runs where the group's last node was, and a node joins only
/// when that changes no result: no other kernel between the members reads a member, a member
/// reads another only at its own element (so its value is computed in place of the load), and
/// only from a member that reads no member (so bodies are copied at most once). A member that
/// only later members of its own group read, and that is no graph result, is a value of the
/// kernel only: it gets no buffer and is not stored (its body lives on in its readers' bodies).
/// </summary>
internal static class SiblingFusion
{
    /// <summary>
    /// The groups of two or more nodes of <paramref name="graph"/> that share a kernel, each in
    /// graph order, and the members that are values only: read by no kernel outside their group
    /// and no graph result. A group's last member, where its kernel runs, is always stored. The
    /// nodes in <paramref name="apart"/> keep kernels of their own.
    /// </summary>
    public static (IReadOnlyList<IReadOnlyList<Node>> Groups, IReadOnlySet<Node> ValuesOnly) Plan(
        Graph graph, IReadOnlySet<Node> materialized, IReadOnlyDictionary<Node, Node> epilogueRoots, IReadOnlySet<Node> apart)
    {
        var position = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            position[node] = position.Count;
        }
        var roots = new HashSet<Node>(epilogueRoots.Values, ReferenceEqualityComparer.Instance);
        var (kernels, readers) = KernelReads.OfEveryKernel(graph, materialized);

        var groups = new List<List<Node>>();
        foreach (var node in graph.Nodes.Where(n => kernels.TryGetValue(n, out var r) && r.PlainMap && n.Op.FusionPattern == FusionPattern.Elementwise && !roots.Contains(n) && !apart.Contains(n)))
        {
            var reads = kernels[node];
            var group = groups.FirstOrDefault(g => Related(node, reads, g, kernels) && CanJoin(node, reads, g, kernels, readers, position));
            if (group is null)
            {
                groups.Add([node]);
            }
            else
            {
                group.Add(node);
            }
        }
        var results = graph.Outputs.Select(o => o.Value).ToHashSet(ReferenceEqualityComparer.Instance);
        var fused = groups.Where(g => g.Count > 1).ToList();
        var valuesOnly = fused.SelectMany(g => g.SkipLast(1).Where(member => !results.Contains(member)
            && readers.GetValueOrDefault(member, []).All(reader => g.Contains(reader, ReferenceEqualityComparer.Instance))));
        return ([.. fused], valuesOnly.ToHashSet<Node>(ReferenceEqualityComparer.Instance));
    }

    // Same shape, and the node reads a member at its own element or shares such an input with one.
    private static bool Related(Node node, KernelReads reads, List<Node> group, Dictionary<Node, KernelReads> kernels) =>
        group[0].Type.Shape.Equals(node.Type.Shape)
        && group.Any(member => reads.Direct.Contains(member) || reads.AtOwnPosition.Overlaps(kernels[member].AtOwnPosition));

    private static bool CanJoin(
        Node node, KernelReads reads, List<Node> group, Dictionary<Node, KernelReads> kernels, Dictionary<Node, List<Node>> readers, Dictionary<Node, int> position) =>
        group.All(member =>
            (!reads.All.Contains(member) || (reads.Direct.Contains(member) && !reads.Indirect.Contains(member) && !kernels[member].All.Overlaps(group)))
            && readers.GetValueOrDefault(member, []).All(reader => ReferenceEquals(reader, node) || group.Contains(reader, ReferenceEqualityComparer.Instance) || position[reader] > position[node]));
}
