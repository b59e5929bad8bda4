using ModelC.Search.Programs;
using ModelC.Search.Sampling;
using ModelC.Search.Space;

namespace ModelC.Search.Tests;

/// <summary>The same seed gives the same sequence of programs; another seed another.</summary>
public sealed class SamplerDeterminismTests
{
    private static string[] Sequence(int seed, int count)
    {
        var sampler = new ArchitectureSampler(EinspaceGrammar.Default);
        var mutator = new ArchitectureMutator(sampler);
        var random = new Random(seed);
        var programs = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var network = sampler.Sample(Tasks.Digits.SearchInput, random);
            programs.Add(CandidateProgram.Of(network, Tasks.Digits, Tasks.Recipe).Source);
            programs.Add(CandidateProgram.Of(mutator.Mutate(network, random), Tasks.Digits, Tasks.Recipe).Source);
        }
        return [.. programs];
    }

    [Fact]
    public void TheSameSeedGivesTheSameProgramsAndAnotherSeedOthers()
    {
        Assert.Equal(Sequence(5, 100), Sequence(5, 100));
        Assert.NotEqual(Sequence(5, 100), Sequence(6, 100));
    }
}
