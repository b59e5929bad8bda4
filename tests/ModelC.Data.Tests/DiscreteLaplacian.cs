namespace ModelC.Data.Tests;

/// <summary>
/// The 5-point negative Laplacian written out directly, independent of the spectral solvers it
/// checks: −Δ_h u_ij = (4u_ij − neighbours)/h².
/// </summary>
internal static class DiscreteLaplacian
{
    /// <summary>Zero values outside the n × n grid, h = 1/(n+1).</summary>
    public static double[] ApplyDirichlet(double[] u, int n)
    {
        var h = 1.0 / (n + 1);
        var result = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double At(int r, int c) => r < 0 || r >= n || c < 0 || c >= n ? 0 : u[r * n + c];
                result[i * n + j] = (4 * At(i, j) - At(i - 1, j) - At(i + 1, j) - At(i, j - 1) - At(i, j + 1)) / (h * h);
            }
        }
        return result;
    }

    /// <summary>Indices wrap around, h = 1/n.</summary>
    public static double[] ApplyPeriodic(double[] u, int n)
    {
        var result = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double At(int r, int c) => u[(r + n) % n * n + (c + n) % n];
                result[i * n + j] = (4 * At(i, j) - At(i - 1, j) - At(i + 1, j) - At(i, j - 1) - At(i, j + 1)) * n * n;
            }
        }
        return result;
    }

    /// <summary>‖a − b‖₂ / ‖b‖₂.</summary>
    public static double RelativeError(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double difference = 0, norm = 0;
        for (var i = 0; i < a.Length; i++)
        {
            difference += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.Sqrt(difference / norm);
    }
}
