using ModelC.Compiler.IR;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Which nodes get a buffer and a kernel, and which are inlined into their consumers. Made by
/// <see cref="FusionPlanner"/>.
/// </summary>
/// <param name="Materialized">Nodes stored in memory (leaves and kernel results).</param>
/// <param name="EpilogueRoots">For a contraction whose elementwise consumers are fused onto it, the last node of that chain.</param>
/// <param name="Siblings">
/// Groups of stored elementwise nodes, or of stored reductions over one domain, computed by one
/// multi-output map kernel, each group in graph order; the kernel takes the place of the group's
/// last node. A node in no group has its own kernel.
/// A member not in <see cref="Materialized"/> is a value of the kernel only (only later members
/// read it): it has no buffer and is not stored.
/// </param>
public sealed record FusionPlan(IReadOnlySet<Node> Materialized, IReadOnlyDictionary<Node, Node> EpilogueRoots, IReadOnlyList<IReadOnlyList<Node>> Siblings)
{
    /// <summary>The contraction whose kernel computes <paramref name="root"/>, if it is an epilogue root.</summary>
    public Node? ContractionOf(Node root) => EpilogueRoots.FirstOrDefault(p => ReferenceEquals(p.Value, root)).Key;

    /// <summary>The sibling group <paramref name="node"/> belongs to, or null when it has a kernel of its own.</summary>
    public IReadOnlyList<Node>? SiblingsOf(Node node) => Siblings.FirstOrDefault(g => g.Contains(node, ReferenceEqualityComparer.Instance));
}
