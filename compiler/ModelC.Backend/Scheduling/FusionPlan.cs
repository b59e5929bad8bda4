using ModelC.Compiler.IR;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Which nodes get a buffer and a kernel, and which are inlined into their consumers. Made by
/// <see cref="FusionPlanner"/>.
/// </summary>
/// <param name="Materialized">Nodes stored in memory (leaves and kernel results).</param>
/// <param name="EpilogueRoots">For a contraction whose elementwise consumers are fused onto it, the last node of that chain.</param>
public sealed record FusionPlan(IReadOnlySet<Node> Materialized, IReadOnlyDictionary<Node, Node> EpilogueRoots)
{
    /// <summary>The contraction whose kernel computes <paramref name="root"/>, if it is an epilogue root.</summary>
    public Node? ContractionOf(Node root) => EpilogueRoots.FirstOrDefault(p => ReferenceEquals(p.Value, root)).Key;
}
