using System.Collections.Concurrent;
using System.Numerics;
using ModelC.Data.Spectral;

namespace ModelC.Data.Synthetic;

/// <summary>
/// Exact solutions of the 5-point discrete Poisson equation −Δ_h u = f on an n × n grid of the
/// unit square: the discrete Laplacian is diagonal in the sine basis (zero Dirichlet
/// boundaries) and in the Fourier basis (periodic boundaries), so one forward transform, a
/// division by the eigenvalues and one inverse transform solve it to rounding.
/// </summary>
/// <remarks>
/// Here <c>−Δ_h u_ij = (4u_ij − u_i−1,j − u_i+1,j − u_i,j−1 − u_i,j+1)/h²</c>. Grids are
/// row-major (row = y), in double precision.
/// </remarks>
public static class PoissonSolver
{
    private static readonly ConcurrentDictionary<int, SeparableTransform> SineBySize = new();

    /// <summary>
    /// Solves with u = 0 outside the grid (the boundary nodes of the (n+2)² grid), h = 1/(n+1),
    /// using the DST-I: eigenvalues (4/h²)(sin²(πkh/2) + sin²(πlh/2)), k, l = 1..n.
    /// </summary>
    public static void SolveDirichlet(ReadOnlySpan<double> f, int n, Span<double> u)
    {
        Check(f.Length, u.Length, n);
        var sine = SineBySize.GetOrAdd(n, SeparableTransform.Sine);
        var h = 1.0 / (n + 1);
        var spectrum = new double[n * n];
        var scratch = new double[n * n];
        sine.Apply2D(f, spectrum, scratch);
        var half = new double[n];
        for (var k = 0; k < n; k++)
        {
            var s = Math.Sin(Math.PI * (k + 1) * h / 2);
            half[k] = 4 / (h * h) * s * s;
        }
        // The DST-I applied twice is (n+1)/2 times the identity, per axis.
        var inverseScale = 4.0 / ((n + 1) * (n + 1));
        for (var k = 0; k < n; k++)
        {
            for (var l = 0; l < n; l++)
            {
                spectrum[k * n + l] *= inverseScale / (half[k] + half[l]);
            }
        }
        sine.Apply2D(spectrum, u, scratch);
    }

    /// <summary>
    /// Solves with periodic boundaries, h = 1/n, using the FFT: eigenvalues
    /// (4/h²)(sin²(πk/n) + sin²(πl/n)). The periodic problem is solvable only for f of mean zero,
    /// so the mean of f is dropped, and u is the solution of mean zero.
    /// </summary>
    public static void SolvePeriodic(ReadOnlySpan<double> f, int n, Span<double> u)
    {
        Check(f.Length, u.Length, n);
        var spectrum = new Complex[n * n];
        for (var i = 0; i < spectrum.Length; i++)
        {
            spectrum[i] = f[i];
        }
        Fft.Transform2D(spectrum, n, n, inverse: false);
        var scale = 4.0 * n * n;
        var half = new double[n];
        for (var k = 0; k < n; k++)
        {
            var s = Math.Sin(Math.PI * k / n);
            half[k] = scale * s * s;
        }
        for (var k = 0; k < n; k++)
        {
            for (var l = 0; l < n; l++)
            {
                var eigenvalue = half[k] + half[l];
                spectrum[k * n + l] = eigenvalue == 0 ? Complex.Zero : spectrum[k * n + l] / eigenvalue;
            }
        }
        Fft.Transform2D(spectrum, n, n, inverse: true);
        for (var i = 0; i < u.Length; i++)
        {
            u[i] = spectrum[i].Real;
        }
    }

    private static void Check(int fLength, int uLength, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        if (fLength != n * n || uLength != n * n)
        {
            throw new ArgumentException($"an {n} × {n} grid has {n * n} values; f has {fLength}, u {uLength}");
        }
    }
}
