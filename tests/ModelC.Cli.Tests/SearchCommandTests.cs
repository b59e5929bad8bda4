using System.Text.Json;

namespace ModelC.Cli.Tests;

/// <summary><c>modelc search</c>: a small search end to end, and its usage errors.</summary>
public sealed class SearchCommandTests : IDisposable
{
    private readonly ScratchFolder _folder = new();

    [Fact]
    public void ASmallSearchPrintsItsProgressAndTheLeaderboardAndWritesTheBest()
    {
        var result = Modelc.Run("search", "--space", "einspace", "--task", "spirals:classes=3", "--samples", "256", "--budget", "2", "--population", "1",
            "--epochs", "1", "--jobs", "1", "--max-depth", "2", "-o", _folder.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("searching einspace on synthetic spirals:classes=3 (256 samples, 200 test) by evolution: population 1", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"\[   1\] [0-9a-f]{12} sample ", result.Output);
        Assert.Matches(@"\[   2\] [0-9a-f]{12} mutant of 1 ", result.Output);
        Assert.Contains("rank  candidate  hash", result.Output, StringComparison.Ordinal);
        var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "leaderboard.json"))).RootElement[0].GetProperty("hash").GetString()!;
        Assert.Contains($"best: {best}, validation ", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder.Path, "best.mdl")));
        Assert.Equal(0, Modelc.Run("check", Path.Combine(_folder.Path, "best.mdl")).ExitCode);

        var plot = Path.Combine(_folder.Path, "compare.svg");
        var drawn = Modelc.Run("search-plot", _folder.Path, "--title", "two searches", "-o", plot);
        Assert.True(drawn.ExitCode == 0, drawn.ToString());
        Assert.Contains("(2 candidates)", drawn.Output, StringComparison.Ordinal);
        Assert.Contains("two searches", File.ReadAllText(plot), StringComparison.Ordinal);
    }

    [Fact]
    public void PlottingAFolderWithoutASearchIsOneError()
    {
        var result = Modelc.Run("search-plot", _folder.Path, "-o", Path.Combine(_folder.Path, "plot.svg"));
        Assert.Equal(ExitCodes.Diagnostics, result.ExitCode);
        Assert.StartsWith("modelc: error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("candidates.jsonl", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--budget", "soon", "--budget must be a time such as 90s, 20m or 2h")]
    [InlineData("--population", "0", "the population must be at least 1")]
    [InlineData("--epochs", "0", "--epochs must be at least 1")]
    [InlineData("--max-macs", "0", "--max-macs must be at least 1")]
    [InlineData("--max-layers", "-1", "--max-layers must be at least 1")]
    public void BadOptionsAreUsageErrors(string option, string value, string message)
    {
        var result = Modelc.Run("search", "--task", "digits", option, value, "-o", _folder.Path);
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ATaskWithoutClassesIsOneError()
    {
        var result = Modelc.Run("search", "--task", "poisson:n=8", "--samples", "8", "-o", _folder.Path);
        Assert.Equal(ExitCodes.Diagnostics, result.ExitCode);
        Assert.StartsWith("modelc: error: poisson:n=8: no float array 'x' to search on", result.Error, StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public void Dispose() => _folder.Dispose();
}
