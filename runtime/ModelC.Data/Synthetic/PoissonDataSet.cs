using ModelC.Data.Spectral;
using ModelC.Runtime.Data;

namespace ModelC.Data.Synthetic;

/// <summary>
/// Pairs (f, u) of the 2-D Poisson problem −Δu = f on the unit square, for operator learning
/// (examples/mgno/poisson.mdl): f a Gaussian random field, u the exact solution of the 5-point
/// discrete equation (<see cref="PoissonSolver"/>), computed in double and stored as float32.
/// </summary>
public static class PoissonDataSet
{
    /// <summary>
    /// Generates <paramref name="count"/> samples: arrays <c>f</c> and <c>u</c>, float32
    /// <c>[count, 1, n, n]</c>. Dirichlet sets draw f from the cosine (Neumann) field of the FNO
    /// data, which does not vanish on the boundary; periodic sets from the periodic field, of mean zero.
    /// </summary>
    /// <param name="count">Samples.</param>
    /// <param name="seed">The seed; sample i depends only on (seed, i) (<see cref="SampleRandom"/>).</param>
    /// <param name="n">Grid points per side.</param>
    /// <param name="boundary">The boundary condition.</param>
    /// <param name="alpha">The random field's smoothness exponent α.</param>
    /// <param name="tau">The random field's inverse length scale τ.</param>
    public static Dataset Generate(int count, ulong seed, int n = 64, PoissonBoundary boundary = PoissonBoundary.Dirichlet, double alpha = 2, double tau = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var field = boundary == PoissonBoundary.Periodic
            ? GaussianRandomField.Periodic(n, alpha, tau)
            : GaussianRandomField.Cosine(n, alpha, tau);
        var size = n * n;
        var fs = new float[count * size];
        var us = new float[count * size];
        Parallel.For(0, count, i =>
        {
            var f = new double[size];
            var u = new double[size];
            field.Sample(SampleRandom.For(seed, i), f);
            // Solve for the float32 f that is stored, so the stored u is its exact solution (to rounding of u).
            Precision.ToSingle(f, fs.AsSpan(i * size, size));
            Precision.ToDouble(fs.AsSpan(i * size, size), f);
            if (boundary == PoissonBoundary.Periodic)
            {
                PoissonSolver.SolvePeriodic(f, n, u);
            }
            else
            {
                PoissonSolver.SolveDirichlet(f, n, u);
            }
            Precision.ToSingle(u, us.AsSpan(i * size, size));
        });
        return new Dataset(("f", DataArray.Of(fs, count, 1, n, n)), ("u", DataArray.Of(us, count, 1, n, n)));
    }
}
