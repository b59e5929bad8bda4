using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;

namespace ModelC.Training.Tests;

/// <summary>Which output and input the accuracy compares, found in a compiled evaluation program's manifest.</summary>
public sealed class ClassificationMetricTests
{
    private static ClassificationMetric? Find(string example)
    {
        var model = CompilerDriver.Elaborate(File.ReadAllText(RepositoryPaths.Get(example.Split('/'))), mode: ExecutionMode.Evaluation);
        return ClassificationMetric.Find(ModelCompiler.Compile(model, CpuTarget.Host, new CompileOptions { Code = CodeForm.ManifestOnly }).Manifest);
    }

    [Fact]
    public void TheLabelsAreTheInputTheScoresDoNotReadNotTheTokens()
    {
        // Reverse's tokens and targets are both i32[B, S]; the logits read the tokens.
        var metric = Find("examples/macaron/reverse.mdl");
        Assert.Equal(("logits", "reversed"), (metric!.Scores, metric.Labels));
    }

    [Fact]
    public void AClassifierOverSamplesComparesItsLogitsWithItsLabels()
    {
        var metric = Find("examples/mlp/mlp.mdl");
        Assert.Equal(("logits", "y"), (metric!.Scores, metric.Labels));
    }

    [Fact]
    public void ARegressionHasNoAccuracy() => Assert.Null(Find("examples/mgno/poisson.mdl"));
}
