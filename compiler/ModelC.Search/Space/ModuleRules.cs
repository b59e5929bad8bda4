using System.Collections.Immutable;

namespace ModelC.Search.Space;

/// <summary>
/// Builds annotated nodes from their parts, applying the terminals' shape rules: null where a
/// rule does not hold. The sampler builds with them, and <see cref="Reannotate"/> re-checks a
/// whole tree with them after a mutation changed a subtree's output shape.
/// </summary>
internal static class ModuleRules
{
    public static ComputationNode? Computation(Terminal terminal, FeatureShape input) =>
        terminal.Apply(input) is { Outputs: [var output] } result ? new ComputationNode(terminal, input, output, result.Parameters, result.Macs) : null;

    /// <summary>The shapes of the parts the inners return: each inner's, or the single inner's for every part.</summary>
    public static ImmutableArray<FeatureShape> BranchOutputs(ImmutableArray<ArchitectureNode> inners, int parts) =>
        inners.Length == 1 ? [.. Enumerable.Repeat(inners[0].Output, parts)] : [.. inners.Select(i => i.Output)];

    public static BranchingNode? Branching(FeatureShape input, Terminal splitter, int parts, ImmutableArray<ArchitectureNode> inners, Terminal merge) =>
        merge.Rule(BranchOutputs(inners, parts)) is { Outputs: [var output] } merged
            ? new BranchingNode(input, splitter, inners, merge, parts, output, merged.Macs)
            : null;

    public static RoutingNode? Routing(FeatureShape input, Terminal pre, ArchitectureNode inner, Terminal post) =>
        post.Apply(inner.Output) is { Outputs: [var output] } ? new RoutingNode(input, pre, inner, post, output) : null;

    /// <summary>
    /// <paramref name="node"/> applied to <paramref name="input"/>, with each node for which
    /// <paramref name="substitute"/> returns another replaced by it, every shape computed again;
    /// null when a rule no longer holds.
    /// </summary>
    public static ArchitectureNode? Reannotate(ArchitectureNode node, FeatureShape input, Func<ArchitectureNode, ArchitectureNode> substitute)
    {
        switch (substitute(node))
        {
            case ComputationNode c:
                return Computation(c.Terminal, input);
            case SequentialNode s:
                return Reannotate(s.First, input, substitute) is { } first && Reannotate(s.Second, first.Output, substitute) is { } second
                    ? new SequentialNode(first, second)
                    : null;
            case BranchingNode b:
                if (b.Splitter.Apply(input) is not { } split || split.Outputs.Length != b.Parts || (b.Inners.Length != 1 && b.Inners.Length != b.Parts))
                {
                    return null;
                }
                var inners = b.Inners.Select((inner, i) => Reannotate(inner, split.Outputs[i], substitute)).ToArray();
                return inners.Any(i => i is null) ? null : Branching(input, b.Splitter, b.Parts, [.. inners!], b.Merge);
            case RoutingNode r:
                return r.Pre.Apply(input) is { Outputs: [var routed] } && Reannotate(r.Inner, routed, substitute) is { } inner
                    ? Routing(input, r.Pre, inner, r.Post)
                    : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(node), node, "not a module of the grammar");
        }
    }
}
