using System.Collections.Immutable;

namespace ModelC.Search.Space;

/// <summary>
/// einspace's probabilistic context-free grammar as data:
/// <code>
/// S → M M | B M A | P M R        the network is never a bare computation
/// M → M M | B M A | P M R | C    sequential | branching | routing | computation
/// </code>
/// with the terminals of each kind (B, A, P, R, C), the probability of C, and the limits that
/// keep sampled trees finite and trainable. A module picks C with <see cref="ComputationProbability"/>
/// and shares the rest equally among the other productions; a terminal is drawn uniformly from
/// those of its kind whose shape rule holds. Add a production by adding a <see cref="Terminal"/>
/// to its list (see docs/search.md).
/// </summary>
public sealed record EinspaceGrammar
{
    /// <summary>The probability of <c>M → C</c> where it is allowed (einspace's 0.32): with the others' expected children, it keeps the expected tree finite.</summary>
    public double ComputationProbability { get; init; } = 0.32;

    /// <summary>Modules deeper than this are computations: the hard limit on a tree's depth.</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>Sampled architectures with more trainable parameters (the classifier head aside) are drawn again.</summary>
    public long MaxParameters { get; init; } = 2_000_000;

    /// <summary>Sampled architectures with more multiply-accumulates per sample in the forward pass are drawn again.</summary>
    public long MaxMacs { get; init; } = 20_000_000;

    /// <summary>Sampled architectures that apply more terminals (<see cref="ArchitectureNode.Layers"/>) are drawn again: nested 8-way branches multiply a program's size.</summary>
    public long MaxLayers { get; init; } = 1_000;

    /// <summary>The branching functions B.</summary>
    public ImmutableArray<Terminal> Splitters { get; init; } =
    [
        .. new[] { 2, 4, 8 }.Select(EinspaceTerminals.Clone),
        .. from n in new[] { 2, 4, 8 } from dim in new[] { 1, 2, 3 } select EinspaceTerminals.Group(n, dim),
    ];

    /// <summary>The aggregation functions A.</summary>
    public ImmutableArray<Terminal> Merges { get; init; } =
    [
        EinspaceTerminals.MatMul,
        EinspaceTerminals.ScaledMatMul,
        EinspaceTerminals.Add,
        .. new[] { 1, 2, 3 }.Select(EinspaceTerminals.Concat),
    ];

    /// <summary>The pre-routing functions P.</summary>
    public ImmutableArray<Terminal> PreRoutes { get; init; } =
    [
        EinspaceTerminals.Identity(TerminalKind.PreRoute),
        .. Permutes(TerminalKind.PreRoute),
        EinspaceTerminals.Im2Col(1, 1, 0),
        EinspaceTerminals.Im2Col(1, 2, 0),
        EinspaceTerminals.Im2Col(3, 1, 1),
        EinspaceTerminals.Im2Col(3, 2, 1),
        EinspaceTerminals.Im2Col(4, 4, 0),
        EinspaceTerminals.Im2Col(8, 8, 0),
        EinspaceTerminals.Im2Col(16, 16, 0),
    ];

    /// <summary>The post-routing functions R.</summary>
    public ImmutableArray<Terminal> PostRoutes { get; init; } =
    [
        EinspaceTerminals.Identity(TerminalKind.PostRoute),
        .. Permutes(TerminalKind.PostRoute),
        EinspaceTerminals.Col2ImOfGrid,
    ];

    /// <summary>The computation modules C.</summary>
    public ImmutableArray<Terminal> Computations { get; init; } =
    [
        EinspaceTerminals.Identity(TerminalKind.Computation),
        .. new[] { 16, 32, 64, 128, 256, 512, 1024, 2048 }.Select(EinspaceTerminals.Linear),
        EinspaceTerminals.Norm,
        EinspaceTerminals.LeakyRelu,
        EinspaceTerminals.Softmax,
        EinspaceTerminals.PositionalEncoding,
    ];

    /// <summary>The grammar of the paper with this project's default limits.</summary>
    public static EinspaceGrammar Default { get; } = new();

    /// <summary>The terminals of a kind.</summary>
    public ImmutableArray<Terminal> TerminalsOf(TerminalKind kind) => kind switch
    {
        TerminalKind.Computation => Computations,
        TerminalKind.Splitter => Splitters,
        TerminalKind.Merge => Merges,
        TerminalKind.PreRoute => PreRoutes,
        TerminalKind.PostRoute => PostRoutes,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The productions a module at <paramref name="depth"/> may take, with their probabilities (the root, depth 0, is never a computation).</summary>
    public IReadOnlyList<(ModuleKind Kind, double Probability)> ProductionsAt(int depth)
    {
        if (depth >= MaxDepth)
        {
            return [(ModuleKind.Computation, 1.0)];
        }
        ModuleKind[] composite = [ModuleKind.Sequential, ModuleKind.Branching, ModuleKind.Routing];
        if (depth == 0)
        {
            return [.. composite.Select(k => (k, 1.0 / composite.Length))];
        }
        var rest = (1 - ComputationProbability) / composite.Length;
        return [.. composite.Select(k => (k, rest)), (ModuleKind.Computation, ComputationProbability)];
    }

    // Token mode permutes (0, 2, 1); image mode every other order of (C, H, W).
    private static IEnumerable<Terminal> Permutes(TerminalKind kind) =>
        EinspaceTerminals.Permutations(2).Concat(EinspaceTerminals.Permutations(3)).Select(p => EinspaceTerminals.Permute(kind, p));
}
