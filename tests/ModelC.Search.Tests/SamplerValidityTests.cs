using System.Diagnostics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Search.Programs;
using ModelC.Search.Sampling;
using ModelC.Search.Space;
using Xunit.Abstractions;

namespace ModelC.Search.Tests;

/// <summary>Sampled and mutated programs pass the checker: the sampler's shape rules agree with the compiler's.</summary>
public sealed class SamplerValidityTests(ITestOutputHelper output)
{
    // 10,000 programs in all, most of them for the digits (images), the rest for tokens and vectors.
    [Theory]
    [InlineData("digits", 6_000)]
    [InlineData("tokens", 2_000)]
    [InlineData("points", 2_000)]
    public void EverySampledProgramPassesTheChecker(string task, int count)
    {
        var signature = task switch { "digits" => Tasks.Digits, "tokens" => Tasks.Tokens, _ => Tasks.Points };
        var sampler = new ArchitectureSampler(EinspaceGrammar.Default);
        var random = new Random(18);
        var clock = Stopwatch.StartNew();
        var rejected = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var candidate = CandidateProgram.Of(sampler.Sample(signature.SearchInput, random), signature, Tasks.Recipe);
            if (CandidateCheck.Run(candidate, ExecutionMode.Training).Errors is [var first, ..])
            {
                rejected.Add($"{first}\n{candidate.Source}");
            }
        }
        output.WriteLine($"{task}: {count} programs, {rejected.Count} rejected, {sampler.OversizedDraws} draws over the size limits, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(rejected.Count == 0, $"{rejected.Count} of {count} rejected; the first:\n{rejected.FirstOrDefault()}");
    }

    [Fact]
    public void EveryMutantPassesTheCheckerAndDiffersFromItsParent()
    {
        var sampler = new ArchitectureSampler(EinspaceGrammar.Default);
        var mutator = new ArchitectureMutator(sampler);
        var random = new Random(7);
        var network = sampler.Sample(Tasks.Digits.SearchInput, random);
        for (var i = 0; i < 500; i++)
        {
            // Restart now and then, so that mutants of many trees are checked, not one long lineage.
            var parent = i % 25 == 0 ? sampler.Sample(Tasks.Digits.SearchInput, random) : network;
            network = mutator.Mutate(parent, random);
            var candidate = CandidateProgram.Of(network, Tasks.Digits, Tasks.Recipe);
            Assert.NotEqual(CandidateProgram.Of(parent, Tasks.Digits, Tasks.Recipe).Hash, candidate.Hash);
            Assert.True(sampler.WithinLimits(network));
            Assert.Empty(CandidateCheck.Run(candidate, ExecutionMode.Training).Errors);
        }
    }

    [Fact]
    public void TheSampledOutputShapeIsTheCompilersShape()
    {
        var sampler = new ArchitectureSampler(EinspaceGrammar.Default);
        var random = new Random(3);
        var task = Tasks.Digits with { Classes = 1 };
        for (var i = 0; i < 200; i++)
        {
            var network = sampler.Sample(task.SearchInput, random);
            // The architecture alone, as the model's output: its shape is what the sampler propagated.
            var source = CandidateProgram.Of(network, task, Tasks.Recipe).Source
                .Replace("output logits = (architecture >> ", "output features = architecture(x);\n    output logits = (", StringComparison.Ordinal)
                .Replace(")(x);\n    loss", ")(features);\n    loss", StringComparison.Ordinal);
            var compilation = ModelC.Compiler.Semantics.Compilation.FromSource("shape.mdl", source);
            var result = compilation.Elaborate(compilation.Models[0], ExecutionMode.Inference);
            Assert.True(result.Success, string.Join("\n", result.Diagnostics) + "\n" + source);
            var model = result.Model!;
            var features = model.Graph.Outputs.Single(o => o.Name == "features");
            Assert.Equal([.. network.Output.Dims], features.Value.Type.Shape.Dims.Skip(1).Select(d => d.FixedSize));
        }
    }
}
