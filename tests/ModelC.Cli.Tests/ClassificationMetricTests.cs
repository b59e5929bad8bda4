using ModelC.Cli.Training;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Cli.Tests;

/// <summary>Which output and input the accuracy of <c>modelc train</c> compares.</summary>
public sealed class ClassificationMetricTests
{
    private static ClassificationMetric? Find(string example)
    {
        var compilation = Compilation.Load(Modelc.File(example), new CompilationOptions { StandardLibrary = Modelc.Stdlib });
        var model = Assert.Single(compilation.Models);
        return ClassificationMetric.Find(compilation.Elaborate(model, ExecutionMode.Evaluation).Model!.Graph);
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
