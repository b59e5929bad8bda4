using ModelC.Data.Spectral;
using ModelC.Data.Synthetic;
using ModelC.Runtime.Initialization;
using Xunit.Abstractions;

namespace ModelC.Data.Tests;

public sealed class PoissonTests(ITestOutputHelper output)
{
    [Fact]
    public void DirichletSolutionSatisfiesTheDiscreteEquation()
    {
        const int n = 64;
        var f = new double[n * n];
        GaussianRandomField.Cosine(n).Sample(new DeterministicRandom(11), f);
        var u = new double[n * n];
        PoissonSolver.SolveDirichlet(f, n, u);
        var error = DiscreteLaplacian.RelativeError(DiscreteLaplacian.ApplyDirichlet(u, n), f);
        output.WriteLine($"Dirichlet n = {n}: ‖−Δh u − f‖/‖f‖ = {error:E2}");
        Assert.True(error < 1e-10, $"relative residual {error:E2}");
    }

    [Fact]
    public void PeriodicSolutionSatisfiesTheDiscreteEquation()
    {
        const int n = 64;
        var f = new double[n * n];
        GaussianRandomField.Periodic(n).Sample(new DeterministicRandom(12), f);
        var u = new double[n * n];
        PoissonSolver.SolvePeriodic(f, n, u);
        var error = DiscreteLaplacian.RelativeError(DiscreteLaplacian.ApplyPeriodic(u, n), f);
        output.WriteLine($"periodic n = {n}: ‖−Δh u − f‖/‖f‖ = {error:E2}");
        Assert.True(error < 1e-10, $"relative residual {error:E2}");
        Assert.True(Math.Abs(u.Average()) < 1e-14);
    }

    [Fact]
    public void PeriodicSolverDropsTheMeanOfF()
    {
        const int n = 16;
        var f = new double[n * n];
        GaussianRandomField.Periodic(n).Sample(new DeterministicRandom(13), f);
        var shifted = f.Select(v => v + 5).ToArray();
        var (u, v) = (new double[n * n], new double[n * n]);
        PoissonSolver.SolvePeriodic(f, n, u);
        PoissonSolver.SolvePeriodic(shifted, n, v);
        Assert.All(Enumerable.Range(0, n * n), i => Assert.Equal(u[i], v[i], 1e-12));
    }

    [Fact]
    public void DirichletSolutionConvergesAtSecondOrder()
    {
        // f = 2π² sin(πx) sin(πy) has the solution sin(πx) sin(πy); the discrete one differs by O(h²).
        static double MaxError(int n)
        {
            var h = 1.0 / (n + 1);
            var (f, exact) = (new double[n * n], new double[n * n]);
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    exact[i * n + j] = Math.Sin(Math.PI * (i + 1) * h) * Math.Sin(Math.PI * (j + 1) * h);
                    f[i * n + j] = 2 * Math.PI * Math.PI * exact[i * n + j];
                }
            }
            var u = new double[n * n];
            PoissonSolver.SolveDirichlet(f, n, u);
            return u.Zip(exact, (a, b) => Math.Abs(a - b)).Max();
        }
        var (coarse, fine) = (MaxError(16), MaxError(32));
        var ratio = coarse / fine;
        output.WriteLine($"max error n = 16: {coarse:E3}, n = 32: {fine:E3}, ratio {ratio:F3} (h ratio² = {33.0 * 33 / (17 * 17):F3})");
        Assert.InRange(coarse, 1e-4, 1e-2);
        Assert.InRange(ratio, 3.6, 4.2);
        Assert.Equal(33.0 * 33 / (17 * 17), ratio, 0.05);
    }

    [Theory]
    [InlineData(PoissonBoundary.Dirichlet)]
    [InlineData(PoissonBoundary.Periodic)]
    public void DataSetHoldsExactFloatPairs(PoissonBoundary boundary)
    {
        const int n = 32, count = 4;
        var data = PoissonDataSet.Generate(count, seed: 5, n, boundary);
        Assert.Equal(["f", "u"], data.Names.ToArray());
        Assert.Equal([count, 1, n, n], data["u"].Shape.ToArray());
        for (var s = 0; s < count; s++)
        {
            var f = data["f"].Floats.AsSpan(s * n * n, n * n).ToArray().Select(v => (double)v).ToArray();
            var u = data["u"].Floats.AsSpan(s * n * n, n * n).ToArray().Select(v => (double)v).ToArray();
            var laplacian = boundary == PoissonBoundary.Dirichlet ? DiscreteLaplacian.ApplyDirichlet(u, n) : DiscreteLaplacian.ApplyPeriodic(u, n);
            // Only the rounding of u to float32 remains, amplified by the Laplacian (up to 8/h²).
            var error = DiscreteLaplacian.RelativeError(laplacian, f);
            output.WriteLine($"{boundary} sample {s}: float32 ‖−Δh u − f‖/‖f‖ = {error:E2}");
            Assert.True(error < 1e-5, $"sample {s}: {error:E2}");
            // The stored u is the double solution for the stored f, rounded.
            var solved = new double[n * n];
            if (boundary == PoissonBoundary.Dirichlet)
            {
                PoissonSolver.SolveDirichlet(f, n, solved);
            }
            else
            {
                PoissonSolver.SolvePeriodic(f, n, solved);
            }
            Assert.Equal(solved.Select(v => (float)v), u.Select(v => (float)v));
        }
    }

    [Fact]
    public void SamplesDependOnlyOnSeedAndIndex()
    {
        var five = PoissonDataSet.Generate(5, seed: 9, n: 16);
        var three = PoissonDataSet.Generate(3, seed: 9, n: 16);
        Assert.Equal(three["f"].Floats, five["f"].Floats.Take(3 * 256));
        Assert.Equal(three["u"].Floats, five["u"].Floats.Take(3 * 256));
        Assert.NotEqual(three["f"].Floats, PoissonDataSet.Generate(3, seed: 10, n: 16)["f"].Floats);
    }
}
