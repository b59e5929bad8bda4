namespace ModelC.Cli.Tests;

/// <summary><c>--help</c> on the root and on every command: usage on stdout, exit code 0.</summary>
public sealed class HelpTests
{
    private static readonly string[] Commands = ["check", "ir", "summary", "graph", "builtins"];

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void TheRootHelpListsEveryCommand(string flag)
    {
        var result = Modelc.Run(flag);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        // The usage line names the executable, which is the test host here.
        Assert.Contains(" [command] [options]", result.Output, StringComparison.Ordinal);
        var lines = result.Output.Split('\n').Select(l => l.TrimStart()).ToList();
        foreach (var command in Commands)
        {
            // "  check <file>    Check a .mdl file: …"; builtins takes no file.
            var entry = command == "builtins" ? "builtins " : command + " <file> ";
            Assert.Contains(lines, l => l.StartsWith(entry, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("check", new[] { "--model", "--define", "--max-depth", "--stdlib" }, new[] { "--mode", "--depth", "--output" })]
    [InlineData("ir", new[] { "--model", "--define", "--max-depth", "--stdlib", "--mode" }, new[] { "--depth", "--output" })]
    [InlineData("summary", new[] { "--model", "--define", "--max-depth", "--stdlib", "--mode", "--depth" }, new[] { "--output" })]
    [InlineData("graph", new[] { "--model", "--define", "--max-depth", "--stdlib", "--mode", "--depth", "--output" }, new string[0])]
    [InlineData("builtins", new[] { "--markdown" }, new[] { "--model", "--define" })]
    public void EachCommandsHelpListsItsOptions(string command, string[] present, string[] absent)
    {
        var result = Modelc.Run(command, "--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Contains($" {command}", result.Output.Split('\n').SkipWhile(l => l != "Usage:").ElementAt(1), StringComparison.Ordinal);
        Assert.Contains("Options:", result.Output, StringComparison.Ordinal);
        foreach (var option in present)
        {
            Assert.Matches(OptionPattern(option), result.Output);
        }
        foreach (var option in absent)
        {
            Assert.DoesNotMatch(OptionPattern(option), result.Output);
        }
        Assert.Contains("--help", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("ir")]
    [InlineData("summary")]
    [InlineData("graph")]
    public void CompilingCommandsTakeAFileAndShortOptions(string command)
    {
        var result = Modelc.Run(command, "-h");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($" {command} <file> [options]", result.Output, StringComparison.Ordinal);
        Assert.Contains("<file>", result.Output, StringComparison.Ordinal);
        Assert.Contains("-m, --model", result.Output, StringComparison.Ordinal);
        Assert.Contains("-D, --define", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheModeOptionListsItsValues()
    {
        var result = Modelc.Run("ir", "--help");
        Assert.Contains("--mode <auto|eval|infer|train>", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void HelpWinsOverAMissingFile()
    {
        var result = Modelc.Run("check", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("error", result.Error, StringComparison.Ordinal);
    }

    // "--mode" must not match "--model".
    private static string OptionPattern(string option) => $"(?<=[\\s,]){System.Text.RegularExpressions.Regex.Escape(option)}(?![\\w-])";
}
