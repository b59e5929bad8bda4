using ModelC.Cli.Progress;

namespace ModelC.Cli.Tests;

/// <summary>
/// The command line helps a user who mistypes: the nearest command or option is suggested, help
/// states each default once, choices are lower case as the docs write them, and learning rates
/// print in one format.
/// </summary>
public sealed class CommandLineHintTests
{
    private static readonly string[] Commands = ["check", "ir", "summary", "graph", "build", "run", "train", "builtins"];

    [Theory]
    [InlineData("chek", "check")]
    [InlineData("trian", "train")]
    [InlineData("buidl", "build")]
    [InlineData("summery", "summary")]
    public void AMistypedCommandGetsTheNearest(string typed, string meant)
    {
        var result = Modelc.Run(typed, Modelc.File("examples/mlp/mlp.mdl"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"modelc: error: unknown command '{typed}' (did you mean '{meant}'?)\nRun 'modelc --help' for usage.\n", result.Error);
    }

    [Fact]
    public void AWordNearNoCommandGetsNoSuggestion()
    {
        var result = Modelc.Run("frobnicate");
        Assert.Equal("modelc: error: unknown command 'frobnicate'\nRun 'modelc --help' for usage.\n", result.Error);
    }

    [Fact]
    public void AMistypedOptionGetsTheNearestOfItsCommand()
    {
        var result = Modelc.Run("run", Modelc.File("examples/mlp/mlp.mdl"), "--bach", "3");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("modelc: error: unknown option '--bach' (did you mean '--batch'?)\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpStatesEachDefaultOnceAndChoicesInLowerCase()
    {
        foreach (var command in Commands)
        {
            var help = Modelc.Run(command, "--help").Output;
            var options = help.Split('\n').SkipWhile(l => l != "Options:").ToArray();
            Assert.NotEmpty(options);
            Assert.All(options, line => Assert.False(line.Contains("(default", StringComparison.Ordinal) && line.Contains("[default", StringComparison.Ordinal), line));
            Assert.All(options, line => Assert.DoesNotMatch("<[^>]*[A-Z][^>]*\\|", line));
            Assert.DoesNotContain(int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), help, StringComparison.Ordinal);
        }
        Assert.Contains("--emit <assembly|native|source>", Modelc.Run("build", "--help").Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1e-3, "1e-3")]
    [InlineData(0.01, "1e-2")]
    [InlineData(9.512e-5, "9.51e-5")]
    [InlineData(2.5e-4, "2.5e-4")]
    [InlineData(0.5, "5e-1")]
    [InlineData(0, "0")]
    public void LearningRatesPrintAsTheSourceWritesThem(double rate, string text) => Assert.Equal(text, TrainingConsole.LearningRate(rate));
}
