using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Search.Programs;
using ModelC.Search.Sampling;
using ModelC.Search.Space;

namespace ModelC.Search.Tests;

/// <summary>Seed architectures are derivations like samples: they pass the checker, print as einspace writes them, and mutate.</summary>
public sealed class SeedArchitecturesTests
{
    [Theory]
    [InlineData("resnet", "route im2col(3, 1, 1) [ linear(16) ] col2im", "branch clone(2) [", new[] { 32, 4, 4 })]
    [InlineData("vit", "route im2col(2, 2, 0) [ linear(32) ] identity", "branch clone(4) [", new[] { 16, 32 })]
    [InlineData("mixer", "route im2col(2, 2, 0) [ linear(32) ] identity", "route permute(0, 2, 1) [ linear(64) ] identity", new[] { 16, 32 })]
    public void ASeedPassesTheCheckerAndMutates(string name, string start, string part, int[] output)
    {
        var seed = SeedArchitectures.Of(name, Tasks.Digits.SearchInput);
        var candidate = CandidateProgram.Of(seed, Tasks.Digits, Tasks.Recipe);
        Assert.Empty(CandidateCheck.Run(candidate, ExecutionMode.Training).Errors);
        Assert.StartsWith(start, candidate.Expression.TrimStart(), StringComparison.Ordinal);
        Assert.Contains(part, candidate.Expression, StringComparison.Ordinal);
        Assert.Equal(output, seed.Output.Dims);

        var sampler = new ArchitectureSampler(EinspaceGrammar.Default);
        var mutant = new ArchitectureMutator(sampler).Mutate(seed, new Random(0));
        Assert.Empty(CandidateCheck.Run(CandidateProgram.Of(mutant, Tasks.Digits, Tasks.Recipe), ExecutionMode.Training).Errors);
    }

    [Fact]
    public void AnUnknownSeedOrOneThatDoesNotFitIsRefused()
    {
        Assert.Contains("no seed architecture 'vgg'", Assert.Throws<ArgumentException>(() => SeedArchitectures.Of("vgg", Tasks.Digits.SearchInput)).Message, StringComparison.Ordinal);
        Assert.Contains("the vit seed needs images", Assert.Throws<ArgumentException>(() => SeedArchitectures.Of("vit", Tasks.Tokens.SearchInput)).Message, StringComparison.Ordinal);
    }
}
