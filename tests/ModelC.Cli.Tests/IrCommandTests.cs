namespace ModelC.Cli.Tests;

/// <summary><c>modelc ir</c> and the pass pipeline: the graph after every pass, after one, and the list of passes.</summary>
public sealed class IrCommandTests
{
    private const string Mlp = "examples/mlp/mlp.mdl";

    [Fact]
    public void TheGraphAfterOnePassIsPrinted()
    {
        var result = Modelc.Run("ir", "--after", "cse", Modelc.File("examples/mgno/poisson.mdl"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Equal(["graph Poisson {"], result.OutputLines.Where(l => l.StartsWith("graph ", StringComparison.Ordinal)));
        // Poisson has a loss, so its pipeline builds a train step; after cse it is still the forward graph.
        Assert.Contains("  loss = %", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("optimizer.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ByDefaultTheGraphAfterThePipelineIsPrinted()
    {
        var step = Modelc.Run("ir", "--mode", "train", Modelc.File(Mlp));
        Assert.True(step.ExitCode == 0, step.ToString());
        Assert.Contains("  update logits.linear_0.weight = %", step.Output, StringComparison.Ordinal);
        Assert.Contains("state[optimizer.step, constant(0)]", step.Output, StringComparison.Ordinal);

        var inference = Modelc.Run("ir", "--mode", "infer", Modelc.File(Mlp));
        var elaborated = Modelc.Run("ir", "--mode", "infer", "--after", "elaborated", Modelc.File(Mlp));
        // The elaborated graph has one const[0] per ReLU; the pipeline merges them.
        Assert.Equal(2, elaborated.OutputLines.Count(l => l.Contains("= const[0] : f32[B,512]", StringComparison.Ordinal)));
        Assert.Equal(1, inference.OutputLines.Count(l => l.Contains("= const[0] : f32[B,512]", StringComparison.Ordinal)));
    }

    [Fact]
    public void ThePassesAreListedWithNodeCountsAndTimes()
    {
        var result = Modelc.Run("ir", "--passes", "--mode", "infer", Modelc.File(Mlp));
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.OutputLines;
        Assert.Equal("Mlp (inference): 5 passes", lines[0]);
        Assert.Matches(@"^  pass +nodes +ms$", lines[1]);
        Assert.Matches(@"^  elaborated +20$", lines[2]);
        Assert.Matches(@"^  cse +19 +\d+\.\d$", lines[3]);
        Assert.Matches(@"^  fold-conv +19 +\d+\.\d$", lines[4]);
        Assert.Matches(@"^  simplify +19 +\d+\.\d$", lines[5]);
        Assert.Matches(@"^  gemm-layout +19 +\d+\.\d$", lines[6]);
        Assert.Matches(@"^  dce +19 +\d+\.\d$", lines[7]);
        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public void ThePassesOfATrainStepAreNumberedWhenTheyRepeat()
    {
        var result = Modelc.Run("ir", "--passes", "--after", "cse.2", Modelc.File(Mlp));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["elaborated", "cse", "simplify", "dce", "autodiff", "train-step", "cse.2"],
            result.OutputLines.Skip(2).TakeWhile(l => !l.StartsWith("graph ", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.Contains("graph Mlp {", result.OutputLines);
    }

    [Fact]
    public void AnUnknownPassIsAUsageErrorThatListsThePasses()
    {
        var result = Modelc.Run("ir", "--after", "inline", "--mode", "infer", Modelc.File(Mlp));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal("modelc: error: Mlp has no pass 'inline'; its passes: elaborated, cse, fold-conv, simplify, gemm-layout, dce\n", result.Error);
    }

    [Theory]
    [InlineData("ir")]
    [InlineData("run")]
    [InlineData("build")]
    public void ATrainStepPastTheSizeLimitIsAnErrorNotACrash(string command)
    {
        // 70,000 tanh layers elaborate (about 70,000 nodes); the weight's gradient through them would pass 250,000.
        using var scratch = new ScratchFolder();
        var file = scratch.Write("deep.mdl", """
            import std.nn;
            model Deep(B: batch) {
                input  x: f32[B, 4];
                input  y: f32[B, 4];
                output z = (linear(4) >> repeat(70000, tanh))(x);
                loss   mse(z, y);
            }
            """);
        string[] output = command == "build" ? ["-o", Path.Combine(scratch.Path, "out")] : [];
        var result = Modelc.Run([command, "--mode", "train", file, .. output]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal("modelc: error: Deep: too large to compile: it needs more than 250,000 IR nodes\n", result.Error);
    }

    [Fact]
    public void TheHelpSaysWhichGraphIsPrinted()
    {
        var result = Modelc.Run("ir", "--help");
        Assert.Contains("after the whole pass pipeline", result.Output, StringComparison.Ordinal);
        Assert.Contains("--after", result.Output, StringComparison.Ordinal);
        Assert.Contains("--passes", result.Output, StringComparison.Ordinal);
    }
}
