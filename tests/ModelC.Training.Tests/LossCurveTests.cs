using System.Text.RegularExpressions;

namespace ModelC.Training.Tests;

/// <summary>The loss curve: one line per series that has points, only finite positive losses plotted.</summary>
public sealed partial class LossCurveTests
{
    [Fact]
    public void TrainingAndValidationEachGetALineOfTheirPlottablePoints()
    {
        EpochRecord[] epochs =
        [
            new(1, 2.0, 2.5, null, 0.1, 1),
            new(2, double.NaN, 1.5, null, 0.1, 1),
            new(3, 0.5, 0, null, 0.1, 1),
        ];

        var lines = Polylines().Matches(LossCurve.Svg("t", epochs)).Select(m => m.Groups[1].Value.Split(' ').Length).ToList();

        Assert.Equal([2, 2], lines);
    }

    [Fact]
    public void WithoutValidationThereIsOneLineAndTheTitleIsEscaped()
    {
        var svg = LossCurve.Svg("A<B & C", [new(1, 1.0, null, null, 0.1, 1), new(2, 0.1, null, null, 0.1, 1)]);

        Assert.Single(Polylines().Matches(svg));
        Assert.Contains(">A&lt;B &amp; C</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">1e-1</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">1e0</text>", svg, StringComparison.Ordinal);
    }

    [GeneratedRegex("<polyline [^>]*points=\"([^\"]*)\"")]
    private static partial Regex Polylines();
}
