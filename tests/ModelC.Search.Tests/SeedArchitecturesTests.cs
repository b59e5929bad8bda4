using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Search.Programs;
using ModelC.Search.Sampling;
using ModelC.Search.Space;

namespace ModelC.Search.Tests;

/// <summary>Seed architectures are derivations like samples: they pass the checker, print as einspace writes them, and mutate.</summary>
public sealed class SeedArchitecturesTests
{
    [Fact]
    public void TheResNetSeedPassesTheCheckerAndMutates()
    {
        var resnet = SeedArchitectures.Of("resnet", Tasks.Digits.SearchInput);
        var candidate = CandidateProgram.Of(resnet, Tasks.Digits, Tasks.Recipe);
        Assert.Empty(CandidateCheck.Run(candidate, ExecutionMode.Training).Errors);
        Assert.StartsWith("route im2col(3, 1, 1) [ linear(32) ] col2im", candidate.Expression.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("branch clone(2) [", candidate.Expression, StringComparison.Ordinal);
        Assert.Equal(new FeatureShape([64, 4, 4]), resnet.Output);

        var sampler = new ArchitectureSampler(EinspaceGrammar.Default);
        var mutant = new ArchitectureMutator(sampler).Mutate(resnet, new Random(0));
        Assert.Empty(CandidateCheck.Run(CandidateProgram.Of(mutant, Tasks.Digits, Tasks.Recipe), ExecutionMode.Training).Errors);
    }

    [Fact]
    public void AnUnknownSeedOrOneThatDoesNotFitIsRefused()
    {
        Assert.Contains("no seed architecture 'vgg'", Assert.Throws<ArgumentException>(() => SeedArchitectures.Of("vgg", Tasks.Digits.SearchInput)).Message, StringComparison.Ordinal);
        Assert.Contains("needs images", Assert.Throws<ArgumentException>(() => SeedArchitectures.Of("resnet", Tasks.Tokens.SearchInput)).Message, StringComparison.Ordinal);
    }
}
