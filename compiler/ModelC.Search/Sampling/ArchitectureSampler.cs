using System.Collections.Immutable;
using ModelC.Search.Space;

namespace ModelC.Search.Sampling;

/// <summary>
/// Draws architectures from the grammar, shape-valid by construction: it propagates the input
/// shape down the derivation and offers a terminal only where its shape rule holds. A branching
/// whose parts come back with shapes no merge accepts, or a route that no post-routing function
/// can close, is drawn again without that splitter or pre-routing function (einspace's
/// backtracking); a computation always exists (<c>identity</c>), so a module never fails.
/// Architectures over the grammar's parameter, MAC or layer limit are drawn again whole.
/// The same <see cref="Random"/> state gives the same architecture.
/// </summary>
public sealed class ArchitectureSampler(EinspaceGrammar grammar)
{
    /// <summary>Whole draws before <see cref="Sample"/> gives up: the limits reject nearly every tree.</summary>
    public const int MaxDraws = 10_000;

    /// <summary>The grammar it draws from.</summary>
    public EinspaceGrammar Grammar { get; } = grammar ?? throw new ArgumentNullException(nameof(grammar));

    /// <summary>Draws were rejected for the size limits since this sampler was made (over all calls).</summary>
    public long OversizedDraws { get; private set; }

    /// <summary>Draws a network for inputs of shape <paramref name="input"/>.</summary>
    /// <exception cref="InvalidOperationException">No draw within the limits in <see cref="MaxDraws"/> tries.</exception>
    public ArchitectureNode Sample(FeatureShape input, Random random)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(random);
        for (var draw = 0; draw < MaxDraws; draw++)
        {
            if (SampleModule(input, 0, random) is { } network && WithinLimits(network))
            {
                return network;
            }
            OversizedDraws++;
        }
        throw new InvalidOperationException($"no architecture for inputs {input} within {Grammar.MaxParameters:N0} parameters, {Grammar.MaxMacs:N0} MACs and {Grammar.MaxLayers:N0} layers in {MaxDraws} draws");
    }

    /// <summary>Whether a tree is within the grammar's parameter, MAC and layer limits.</summary>
    public bool WithinLimits(ArchitectureNode network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Parameters <= Grammar.MaxParameters && network.Macs <= Grammar.MaxMacs && network.Layers <= Grammar.MaxLayers;
    }

    /// <summary>
    /// Draws a module at <paramref name="depth"/> for inputs of shape <paramref name="input"/>,
    /// never by the production <paramref name="excluded"/>; null only when every production left fails.
    /// </summary>
    public ArchitectureNode? SampleModule(FeatureShape input, int depth, Random random, ModuleKind? excluded = null)
    {
        var productions = Grammar.ProductionsAt(depth).Where(p => p.Kind != excluded).ToList();
        while (productions.Count > 0)
        {
            var chosen = Weighted(productions, random);
            ArchitectureNode? node = productions[chosen].Kind switch
            {
                ModuleKind.Sequential => Sequential(input, depth, random),
                ModuleKind.Branching => Branching(input, depth, random),
                ModuleKind.Routing => Routing(input, depth, random),
                _ => Computation(input, random),
            };
            if (node is not null)
            {
                return node;
            }
            productions.RemoveAt(chosen);
        }
        return null;
    }

    private SequentialNode? Sequential(FeatureShape input, int depth, Random random) =>
        SampleModule(input, depth + 1, random) is { } first && SampleModule(first.Output, depth + 1, random) is { } second
            ? new SequentialNode(first, second)
            : null;

    private ComputationNode? Computation(FeatureShape input, Random random)
    {
        var valid = Valid(TerminalKind.Computation, input);
        return valid.Count == 0 ? null : ModuleRules.Computation(valid[random.Next(valid.Count)].Terminal, input);
    }

    private BranchingNode? Branching(FeatureShape input, int depth, Random random)
    {
        var splitters = Valid(TerminalKind.Splitter, input);
        while (splitters.Count > 0)
        {
            var pick = random.Next(splitters.Count);
            var (splitter, split) = splitters[pick];
            splitters.RemoveAt(pick);
            // Two parts get a module each; four or eight share one drawn module (separate weights).
            var parts = split.Outputs;
            var inners = parts.Length == 2 ? parts.Select(p => SampleModule(p, depth + 1, random)).ToArray() : [SampleModule(parts[0], depth + 1, random)];
            if (inners.Any(i => i is null))
            {
                continue;
            }
            ImmutableArray<ArchitectureNode> modules = [.. inners!];
            var outputs = ModuleRules.BranchOutputs(modules, parts.Length);
            var merges = Grammar.Merges.Where(m => m.Rule(outputs) is not null).ToArray();
            if (merges.Length > 0)
            {
                return ModuleRules.Branching(input, splitter, parts.Length, modules, merges[random.Next(merges.Length)]);
            }
        }
        return null;
    }

    private RoutingNode? Routing(FeatureShape input, int depth, Random random)
    {
        var pres = Valid(TerminalKind.PreRoute, input);
        while (pres.Count > 0)
        {
            var pick = random.Next(pres.Count);
            var (pre, routed) = pres[pick];
            pres.RemoveAt(pick);
            if (SampleModule(routed.Outputs[0], depth + 1, random) is not { } inner)
            {
                continue;
            }
            var posts = Valid(TerminalKind.PostRoute, inner.Output);
            if (posts.Count > 0)
            {
                return ModuleRules.Routing(input, pre, inner, posts[random.Next(posts.Count)].Terminal);
            }
        }
        return null;
    }

    private List<(Terminal Terminal, TerminalResult Result)> Valid(TerminalKind kind, FeatureShape input) =>
        [.. Grammar.TerminalsOf(kind).Select(t => (Terminal: t, Result: t.Apply(input))).Where(r => r.Result is not null).Select(r => (r.Terminal, r.Result!))];

    private static int Weighted(List<(ModuleKind Kind, double Probability)> productions, Random random)
    {
        var x = random.NextDouble() * productions.Sum(p => p.Probability);
        for (var i = 0; i < productions.Count - 1; i++)
        {
            x -= productions[i].Probability;
            if (x < 0)
            {
                return i;
            }
        }
        return productions.Count - 1;
    }
}
