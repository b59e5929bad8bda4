namespace ModelC.Search.Space;

/// <summary>The productions of a module M in einspace's grammar.</summary>
public enum ModuleKind
{
    /// <summary><c>M → M M</c>: <c>first &gt;&gt; second</c>.</summary>
    Sequential,

    /// <summary><c>M → B M A</c>: <c>branch splitter [ inner… ] merge aggregation</c>.</summary>
    Branching,

    /// <summary><c>M → P M R</c>: <c>route pre [ inner ] post</c>.</summary>
    Routing,

    /// <summary><c>M → C</c>: a computation terminal.</summary>
    Computation,
}
