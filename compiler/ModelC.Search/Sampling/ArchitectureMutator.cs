using ModelC.Search.Space;

namespace ModelC.Search.Sampling;

/// <summary>
/// einspace's mutation: picks a module of the tree uniformly, draws a new subtree for it at its
/// depth by another production than the one it took, and checks the whole tree's shapes again
/// (a subtree with another output shape can break a merge or a <c>col2im</c> after it). A child
/// that fails the check or the size limits is drawn again; so every mutant is as valid as a sample.
/// </summary>
public sealed class ArchitectureMutator(ArchitectureSampler sampler)
{
    /// <summary>Tries before <see cref="Mutate"/> gives up.</summary>
    public const int MaxTries = 1_000;

    /// <summary>A mutant of <paramref name="network"/>, different from it.</summary>
    /// <exception cref="InvalidOperationException">No valid mutant in <see cref="MaxTries"/> tries.</exception>
    public ArchitectureNode Mutate(ArchitectureNode network, Random random)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(random);
        var nodes = network.Walk().ToArray();
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var (target, depth) = nodes[random.Next(nodes.Length)];
            if (sampler.SampleModule(target.Input, depth, random, excluded: target.Kind) is not { } replacement)
            {
                continue;
            }
            var mutant = ModuleRules.Reannotate(network, network.Input, n => ReferenceEquals(n, target) ? replacement : n);
            if (mutant is not null && sampler.WithinLimits(mutant))
            {
                return mutant;
            }
        }
        throw new InvalidOperationException($"no valid mutant in {MaxTries} tries");
    }
}
