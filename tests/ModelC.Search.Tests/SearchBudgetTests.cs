using ModelC.Search.Strategies;

namespace ModelC.Search.Tests;

/// <summary><c>--budget</c>: a time or a number of candidates.</summary>
public sealed class SearchBudgetTests
{
    [Theory]
    [InlineData("20m", 1200.0, null)]
    [InlineData("90s", 90.0, null)]
    [InlineData("1.5h", 5400.0, null)]
    [InlineData("500", null, 500)]
    public void ATimeOrACount(string text, double? seconds, int? candidates)
    {
        Assert.True(SearchBudget.TryParse(text, out var time, out var count, out _));
        Assert.Equal(seconds, time?.TotalSeconds);
        Assert.Equal(candidates, count);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3m")]
    [InlineData("20x")]
    [InlineData("m")]
    [InlineData("")]
    public void AnythingElseIsRefusedWithTheReason(string text)
    {
        Assert.False(SearchBudget.TryParse(text, out _, out _, out var problem));
        Assert.Contains("--budget", problem, StringComparison.Ordinal);
    }
}
