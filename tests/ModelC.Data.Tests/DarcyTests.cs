using ModelC.Data.Synthetic;
using Xunit.Abstractions;

namespace ModelC.Data.Tests;

public sealed class DarcyTests(ITestOutputHelper output)
{
    // −∇·(a∇u) with harmonic-mean faces, zero boundary, a continued constantly to the boundary faces: written out independently.
    private static double[] ApplyFiniteVolume(double[] a, double[] u, int n)
    {
        var result = new double[n * n];
        var inverseH2 = (double)(n + 1) * (n + 1);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var p = i * n + j;
                var sum = 0.0;
                foreach (var (di, dj) in new[] { (0, 1), (0, -1), (1, 0), (-1, 0) })
                {
                    var (r, c) = (i + di, j + dj);
                    var inside = r >= 0 && r < n && c >= 0 && c < n;
                    var face = inside ? 2 * a[p] * a[r * n + c] / (a[p] + a[r * n + c]) : a[p];
                    sum += face * (u[p] - (inside ? u[r * n + c] : 0));
                }
                result[p] = sum * inverseH2;
            }
        }
        return result;
    }

    [Fact]
    public void SolutionsSatisfyTheDiscreteEquation()
    {
        const int n = 64, count = 3;
        var data = DarcyDataSet.Generate(count, seed: 21, n);
        Assert.Equal(["a", "u"], data.Names.ToArray());
        Assert.Equal([count, 1, n, n], data["u"].Shape.ToArray());
        var ones = Enumerable.Repeat(1.0, n * n).ToArray();
        for (var s = 0; s < count; s++)
        {
            var a = data["a"].Floats.Skip(s * n * n).Take(n * n).Select(v => (double)v).ToArray();
            var u = new double[n * n];
            var iterations = DarcySolver.Solve(new DarcyOperator(a, n), ones, u);
            var residual = DiscreteLaplacian.RelativeError(ApplyFiniteVolume(a, u, n), ones);
            output.WriteLine($"sample {s}: {iterations} IC(0)-CG iterations, relative residual {residual:E2}, share of a = 12: {a.Count(v => v == 12) / (double)a.Length:P0}");
            Assert.True(residual <= 1e-8, $"sample {s}: residual {residual:E2}");
            // The stored u is that solution rounded to float32.
            Assert.Equal(u.Select(v => (float)v), data["u"].Floats.Skip(s * n * n).Take(n * n));
            Assert.All(u, v => Assert.True(v > 0));
        }
    }

    [Fact]
    public void CoefficientsAreThreeOrTwelveAndBothOccur()
    {
        var data = DarcyDataSet.Generate(8, seed: 22, n: 32);
        var a = data["a"].Floats;
        Assert.All(a, v => Assert.True(v is 3f or 12f, $"a = {v}"));
        for (var s = 0; s < 8; s++)
        {
            var sample = a.Skip(s * 32 * 32).Take(32 * 32).ToArray();
            Assert.Contains(3f, sample);
            Assert.Contains(12f, sample);
        }
    }

    [Fact]
    public void ConstantCoefficientIsThePoissonProblem()
    {
        // With a = 1 the finite-volume operator is the 5-point Laplacian: CG and the sine transform must agree.
        const int n = 24;
        var ones = Enumerable.Repeat(1.0, n * n).ToArray();
        var (cg, spectral) = (new double[n * n], new double[n * n]);
        DarcySolver.Solve(new DarcyOperator(ones, n), ones, cg);
        PoissonSolver.SolveDirichlet(ones, n, spectral);
        Assert.True(DiscreteLaplacian.RelativeError(cg, spectral) < 1e-9);
    }

    [Fact]
    public void NonPositiveCoefficientsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new DarcyOperator([1, 1, 0, 1], 2));
        Assert.Equal("the coefficient must be positive; a[1, 0] = 0 (Parameter 'a')", e.Message);
    }
}
