using System.Numerics;
using ModelC.Runtime.Initialization;

namespace ModelC.Data.Spectral;

/// <summary>
/// Samples of a Gaussian random field on an n × n grid of the unit square, with covariance
/// operator <c>(−Δ + τ²)^(−α)</c>, drawn spectrally: independent normal coefficients scaled by
/// <c>σ = (λ + τ²)^(−α/2)</c> for each Laplacian eigenvalue λ. The default α = 2, τ = 3 is the
/// field of the FNO and MgNO benchmark data (Li et al. 2021).
/// </summary>
/// <remarks>
/// The zero-frequency mode is left out, so the fields have mean zero (in expectation for the
/// cosine series, exactly for the periodic one). The scale σ is normalised so that the pointwise
/// variance, averaged over the grid, is 1: the data do not depend on how fine the grid is, and
/// a sign threshold (Darcy) is unaffected.
/// </remarks>
public sealed class GaussianRandomField
{
    private readonly double[] _sigma;
    private readonly SeparableTransform? _cosine;

    private GaussianRandomField(int n, double[] sigma, SeparableTransform? cosine)
    {
        Size = n;
        _sigma = sigma;
        _cosine = cosine;
    }

    /// <summary>The grid side n.</summary>
    public int Size { get; }

    /// <summary>Whether the field is periodic (else a cosine series: zero normal derivative on the boundary).</summary>
    public bool IsPeriodic => _cosine is null;

    /// <summary>
    /// A field with Neumann boundary conditions, the cosine series Σ ξ σ cos(πk x) cos(πl y)
    /// for 0 ≤ k, l &lt; n (λ = π²(k² + l²)), evaluated at the interior nodes <c>x_i = (i+1)/(n+1)</c>
    /// of a zero-Dirichlet grid, like the FNO data generator (which uses the same basis).
    /// </summary>
    public static GaussianRandomField Cosine(int n, double alpha = 2, double tau = 3)
    {
        CheckParameters(n, alpha, tau);
        var table = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < n; k++)
            {
                table[i * n + k] = Math.Cos(Math.PI * k * (i + 1) / (n + 1));
            }
        }
        var transform = new SeparableTransform(n, table);
        // Mean over the grid of cos²(πk x_i): the variance each mode contributes on average.
        var weight = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var i = 0; i < n; i++)
            {
                weight[k] += table[i * n + k] * table[i * n + k] / n;
            }
        }
        var sigma = new double[n * n];
        var variance = 0.0;
        for (var k = 0; k < n; k++)
        {
            for (var l = 0; l < n; l++)
            {
                if (k + l == 0)
                {
                    continue;
                }
                var s = Math.Pow(Math.PI * Math.PI * (k * k + l * l) + tau * tau, -alpha / 2);
                sigma[k * n + l] = s;
                variance += s * s * weight[k] * weight[l];
            }
        }
        Scale(sigma, 1 / Math.Sqrt(variance));
        return new GaussianRandomField(n, sigma, transform);
    }

    /// <summary>
    /// A field periodic on the unit square, on the grid <c>x_i = i/n</c>: white noise filtered
    /// in Fourier space by σ, with λ = 4π²(k² + l²) for the wave numbers −n/2 ≤ k, l &lt; n/2.
    /// </summary>
    public static GaussianRandomField Periodic(int n, double alpha = 2, double tau = 3)
    {
        CheckParameters(n, alpha, tau);
        var sigma = new double[n * n];
        var sumOfSquares = 0.0;
        for (var k = 0; k < n; k++)
        {
            for (var l = 0; l < n; l++)
            {
                var (kk, ll) = (WaveNumber(k, n), WaveNumber(l, n));
                if (kk == 0 && ll == 0)
                {
                    continue;
                }
                var s = Math.Pow(4 * Math.PI * Math.PI * (kk * kk + ll * ll) + tau * tau, -alpha / 2);
                sigma[k * n + l] = s;
                sumOfSquares += s * s;
            }
        }
        // Filtering unit white noise w as F⁻¹(σ F w) gives pointwise variance (1/n²) Σ σ².
        Scale(sigma, 1 / Math.Sqrt(sumOfSquares / (n * n)));
        return new GaussianRandomField(n, sigma, cosine: null);
    }

    /// <summary>The signed wave number of FFT index <paramref name="k"/> of length <paramref name="n"/>: k, or k − n past the middle.</summary>
    public static int WaveNumber(int k, int n) => k <= n / 2 ? k : k - n;

    /// <summary>Draws one field into <paramref name="field"/> (row-major n × n, row = y).</summary>
    public void Sample(DeterministicRandom random, Span<double> field)
    {
        ArgumentNullException.ThrowIfNull(random);
        var n = Size;
        if (field.Length != n * n)
        {
            throw new ArgumentException($"an {n} × {n} field has {n * n} values, not {field.Length}", nameof(field));
        }
        if (_cosine is { } cosine)
        {
            var coefficients = new double[n * n];
            for (var i = 0; i < coefficients.Length; i++)
            {
                // Every mode draws, even the zero one, so the stream does not depend on σ.
                coefficients[i] = _sigma[i] * random.NextGaussian();
            }
            cosine.Apply2D(coefficients, field, new double[n * n]);
            return;
        }
        var spectrum = new Complex[n * n];
        for (var i = 0; i < spectrum.Length; i++)
        {
            spectrum[i] = random.NextGaussian();
        }
        Fft.Transform2D(spectrum, n, n, inverse: false);
        for (var i = 0; i < spectrum.Length; i++)
        {
            spectrum[i] *= _sigma[i];
        }
        Fft.Transform2D(spectrum, n, n, inverse: true);
        // σ is even in (k, l), so the filtered real noise is real: the imaginary parts are rounding.
        for (var i = 0; i < field.Length; i++)
        {
            field[i] = spectrum[i].Real;
        }
    }

    private static void Scale(double[] values, double factor)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    private static void CheckParameters(int n, double alpha, double tau)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        if (!(alpha > 0) || !(tau >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), $"a random field needs α > 0 and τ ≥ 0, not α = {alpha}, τ = {tau}");
        }
    }
}
