using ModelC.Data.Spectral;
using ModelC.Runtime.Data;

namespace ModelC.Data.Synthetic;

/// <summary>
/// Pairs (a, u) of 2-D Darcy flow <c>−∇·(a∇u) = 1</c> on the unit square with u = 0 on the
/// boundary (examples/mgno/darcy.mdl): a is 12 where a Gaussian random field (the cosine field,
/// α = 2, τ = 3) is ≥ 0 and 3 where it is negative, as in the FNO and MgNO benchmark data; u
/// solves the 5-point finite-volume equations (<see cref="DarcyOperator"/>) to relative residual
/// 1e-10 by IC(0)-preconditioned conjugate gradients, in double, stored as float32.
/// </summary>
public static class DarcyDataSet
{
    /// <summary>The coefficient where the random field is ≥ 0.</summary>
    public const float High = 12;

    /// <summary>The coefficient where the random field is negative.</summary>
    public const float Low = 3;

    /// <summary>Generates <paramref name="count"/> samples: arrays <c>a</c> and <c>u</c>, float32 <c>[count, 1, n, n]</c>.</summary>
    /// <param name="count">Samples.</param>
    /// <param name="seed">The seed; sample i depends only on (seed, i) (<see cref="SampleRandom"/>).</param>
    /// <param name="n">Interior grid points per side.</param>
    /// <param name="alpha">The random field's smoothness exponent α.</param>
    /// <param name="tau">The random field's inverse length scale τ.</param>
    public static Dataset Generate(int count, ulong seed, int n = 64, double alpha = 2, double tau = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var field = GaussianRandomField.Cosine(n, alpha, tau);
        var size = n * n;
        var coefficients = new float[count * size];
        var solutions = new float[count * size];
        var rhs = new double[size];
        Array.Fill(rhs, 1.0);
        Parallel.For(0, count, i =>
        {
            var a = new double[size];
            field.Sample(SampleRandom.For(seed, i), a);
            for (var p = 0; p < size; p++)
            {
                a[p] = a[p] >= 0 ? High : Low;
            }
            var u = new double[size];
            DarcySolver.Solve(new DarcyOperator(a, n), rhs, u);
            Precision.ToSingle(a, coefficients.AsSpan(i * size, size));
            Precision.ToSingle(u, solutions.AsSpan(i * size, size));
        });
        return new Dataset(("a", DataArray.Of(coefficients, count, 1, n, n)), ("u", DataArray.Of(solutions, count, 1, n, n)));
    }
}
