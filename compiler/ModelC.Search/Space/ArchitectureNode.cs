using System.Collections.Immutable;

namespace ModelC.Search.Space;

/// <summary>
/// A node of a sampled derivation: a module with the shape it takes and the shape it gives,
/// and the parameters and multiply-accumulates of its subtree. Nodes are immutable; mutation
/// builds a new tree (<see cref="Sampling.ArchitectureMutator"/>).
/// </summary>
/// <param name="Input">The shape it takes.</param>
/// <param name="Output">The shape it gives.</param>
/// <param name="Parameters">Trainable parameters of the subtree.</param>
/// <param name="Macs">Forward multiply-accumulates per sample of the subtree.</param>
/// <param name="Layers">Terminals the subtree applies, a shared branch module counted once per part: what the program's size grows with.</param>
public abstract record ArchitectureNode(FeatureShape Input, FeatureShape Output, long Parameters, long Macs, long Layers)
{
    /// <summary>The production this node took.</summary>
    public abstract ModuleKind Kind { get; }

    /// <summary>The child modules, in source order.</summary>
    public abstract ImmutableArray<ArchitectureNode> Children { get; }

    /// <summary>This node and every module under it, in pre-order, with their depths (this one at <paramref name="depth"/>).</summary>
    public IEnumerable<(ArchitectureNode Node, int Depth)> Walk(int depth = 0) =>
        Children.SelectMany(c => c.Walk(depth + 1)).Prepend((this, depth));
}

/// <summary><c>first &gt;&gt; second</c>.</summary>
public sealed record SequentialNode(ArchitectureNode First, ArchitectureNode Second)
    : ArchitectureNode(First.Input, Second.Output, First.Parameters + Second.Parameters, First.Macs + Second.Macs, First.Layers + Second.Layers)
{
    /// <inheritdoc/>
    public override ModuleKind Kind => ModuleKind.Sequential;

    /// <inheritdoc/>
    public override ImmutableArray<ArchitectureNode> Children => [First, Second];
}

/// <summary>
/// <c>branch splitter [ inners ] merge merge</c>: one inner per part, or one inner that every
/// part applies with its own weights (einspace's rule for 4 and 8 branches).
/// </summary>
/// <param name="Input">The shape the splitter takes.</param>
/// <param name="Splitter">The branching function.</param>
/// <param name="Inners">One module per part, or a single one for all parts.</param>
/// <param name="Merge">The aggregation function.</param>
/// <param name="Parts">How many parts the splitter makes.</param>
/// <param name="Output">The merged shape.</param>
/// <param name="MergeMacs">The merge's own multiply-accumulates.</param>
public sealed record BranchingNode(FeatureShape Input, Terminal Splitter, ImmutableArray<ArchitectureNode> Inners, Terminal Merge, int Parts, FeatureShape Output, long MergeMacs)
    : ArchitectureNode(
        Input,
        Output,
        Inners.Length == 1 ? Inners[0].Parameters * Parts : Inners.Sum(i => i.Parameters),
        (Inners.Length == 1 ? Inners[0].Macs * Parts : Inners.Sum(i => i.Macs)) + MergeMacs,
        (Inners.Length == 1 ? Inners[0].Layers * Parts : Inners.Sum(i => i.Layers)) + 2)
{
    /// <inheritdoc/>
    public override ModuleKind Kind => ModuleKind.Branching;

    /// <inheritdoc/>
    public override ImmutableArray<ArchitectureNode> Children => Inners;
}

/// <summary><c>route pre [ inner ] post</c>.</summary>
/// <param name="Input">The shape the route takes (before <paramref name="Pre"/>).</param>
/// <param name="Pre">The pre-routing function.</param>
/// <param name="Inner">The module between them.</param>
/// <param name="Post">The post-routing function.</param>
/// <param name="Output">The shape after <paramref name="Post"/>.</param>
public sealed record RoutingNode(FeatureShape Input, Terminal Pre, ArchitectureNode Inner, Terminal Post, FeatureShape Output)
    : ArchitectureNode(Input, Output, Inner.Parameters, Inner.Macs, Inner.Layers + 2)
{
    /// <inheritdoc/>
    public override ModuleKind Kind => ModuleKind.Routing;

    /// <inheritdoc/>
    public override ImmutableArray<ArchitectureNode> Children => [Inner];
}

/// <summary>A computation terminal applied to one tensor.</summary>
public sealed record ComputationNode(Terminal Terminal, FeatureShape Input, FeatureShape Output, long Parameters, long Macs)
    : ArchitectureNode(Input, Output, Parameters, Macs, 1)
{
    /// <inheritdoc/>
    public override ModuleKind Kind => ModuleKind.Computation;

    /// <inheritdoc/>
    public override ImmutableArray<ArchitectureNode> Children => [];
}
