using System.Text.Json;
using ModelC.Compiler.Interpreter;

namespace ModelC.Compiler.Tests.Interpreter;

/// <summary>
/// <see cref="SpecialFunctions.Erf"/> against <c>tests/golden/erf_reference.json</c>: erf correctly
/// rounded by mpmath at 200 bits, with torch's float64 erf beside it (the generator checks they
/// agree to 1e-14).
/// </summary>
public sealed class ErfTests
{
    private const double Tolerance = 1e-14;

    private static readonly double[][] Rows = LoadRows();

    /// <summary>Relative error at most 1e-14 against mpmath, at every reference point.</summary>
    [Fact]
    public void MatchesCorrectlyRoundedReference() => AssertColumn(1, "mpmath");

    /// <summary>Relative error at most 1e-14 against torch.erf in float64.</summary>
    [Fact]
    public void MatchesTorch() => AssertColumn(2, "torch");

    /// <summary>The reference spans tiny arguments, both branches and saturation.</summary>
    [Fact]
    public void ReferenceCoversTheRealLine()
    {
        var xs = Rows.Select(r => r[0]).ToList();
        Assert.True(xs.Count > 2000);
        Assert.Contains(xs, x => x != 0 && Math.Abs(x) < 1e-250);
        Assert.Contains(xs, x => x is > 2.0 and < 2.5);
        Assert.Contains(xs, x => x is > 2.5 and < 6.0);
        Assert.Contains(xs, x => x < -6.0);
    }

    /// <summary>Special values and the sign of zero.</summary>
    [Fact]
    public void SpecialValues()
    {
        Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
        Assert.Equal(1.0, SpecialFunctions.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, SpecialFunctions.Erf(double.NegativeInfinity));
        Assert.True(double.IsPositive(SpecialFunctions.Erf(0.0)) && SpecialFunctions.Erf(0.0) == 0.0);
        Assert.True(double.IsNegative(SpecialFunctions.Erf(-0.0)) && SpecialFunctions.Erf(-0.0) == 0.0);
    }

    /// <summary>erf is odd exactly and non-decreasing on a fine grid across both branches.</summary>
    [Fact]
    public void OddAndMonotonic()
    {
        var previous = -1.0;
        for (var i = -80000; i <= 80000; i++)
        {
            var x = i * 1e-4;
            var y = SpecialFunctions.Erf(x);
            Assert.Equal(-y, SpecialFunctions.Erf(-x));
            Assert.True(y >= previous, $"erf decreases at {x}");
            previous = y;
        }
    }

    private static void AssertColumn(int column, string source)
    {
        var failures = Rows
            .Select(r => (X: r[0], Expected: r[column], Actual: SpecialFunctions.Erf(r[0])))
            .Where(r => !(r.Actual == r.Expected || Math.Abs(r.Actual - r.Expected) <= Tolerance * Math.Abs(r.Expected)))
            .Take(5)
            .Select(r => $"erf({r.X:R}) = {r.Actual:R}, {source} says {r.Expected:R}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static double[][] LoadRows()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Get("tests", "golden", "erf_reference.json")));
        return [.. document.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())];
    }
}
