using ModelC.Search.Reports;
using ModelC.Search.Strategies;

namespace ModelC.Search.Tests;

/// <summary>The progress plot: the best so far, and the best of the searched candidates alone when the search began with seeds.</summary>
public sealed class SearchPlotTests
{
    private static SearchRecord Candidate(int index, double accuracy, string? seed = null) =>
        new(index, $"{index:D12}", null, 10, 10, accuracy, accuracy, 0, 0, null, false, seed);

    private static readonly SearchRecord[] Seeded = [Candidate(0, 0.9, "resnet"), Candidate(1, 0.2), Candidate(2, 0.5), Candidate(3, 0.95)];

    [Fact]
    public void TheBestSoFarCountsTheSeedsUnlessTheyAreExcluded()
    {
        Assert.Equal([(1, 0.9), (2, 0.9), (3, 0.9), (4, 0.95)], SearchPlot.BestSoFar(Seeded));
        Assert.Equal([(2, 0.2), (3, 0.5), (4, 0.95)], SearchPlot.BestSoFar(Seeded, seedsExcluded: true));
    }

    [Fact]
    public void ASeededSearchGetsADashedLineForItsOwnCandidates()
    {
        var seeded = SearchPlot.Svg("t", [("evolution", Seeded)]);
        Assert.Contains("evolution, seeds excluded", seeded, StringComparison.Ordinal);
        Assert.Contains("stroke-dasharray", seeded, StringComparison.Ordinal);

        var unseeded = SearchPlot.Svg("t", [("random", Seeded[1..])]);
        Assert.DoesNotContain("stroke-dasharray", unseeded, StringComparison.Ordinal);
        Assert.Single(unseeded.Split("<path").Skip(1));
    }
}
