namespace ModelC.Runtime.Initialization;

/// <summary>
/// torch.nn.init.orthogonal_: a standard normal matrix of rows × columns, the Q of its QR
/// factorisation (transposed first when it is wide) with R's diagonal made positive, times a gain.
/// The columns of a tall result and the rows of a wide one are orthonormal. Q is computed by
/// Gram–Schmidt applied twice per vector (stable to double rounding for full-rank draws), which
/// gives the same Q as a Householder QR with that sign choice.
/// </summary>
internal static class OrthogonalMatrix
{
    /// <summary>Fills <paramref name="destination"/> (rows × the rest, row-major) from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <paramref name="rows"/>.</exception>
    public static void Fill(Span<double> destination, int rows, double gain, DeterministicRandom random)
    {
        if (rows < 1 || destination.Length % rows != 0)
        {
            throw new ArgumentException($"an orthogonal initialisation of {rows} rows cannot fill {destination.Length} elements", nameof(rows));
        }
        var columns = destination.Length / rows;
        var draws = new double[destination.Length];
        for (var i = 0; i < draws.Length; i++)
        {
            draws[i] = random.NextGaussian();
        }
        // Orthonormalise the shorter side's vectors, each of the longer side's length.
        var tall = rows >= columns;
        var (count, length) = tall ? (columns, rows) : (rows, columns);
        var basis = new double[count][];
        for (var k = 0; k < count; k++)
        {
            var v = new double[length];
            for (var i = 0; i < length; i++)
            {
                v[i] = tall ? draws[i * columns + k] : draws[k * columns + i];
            }
            for (var pass = 0; pass < 2; pass++)
            {
                for (var j = 0; j < k; j++)
                {
                    var projection = Dot(basis[j], v);
                    for (var i = 0; i < length; i++)
                    {
                        v[i] -= projection * basis[j][i];
                    }
                }
            }
            var norm = Math.Sqrt(Dot(v, v));
            for (var i = 0; i < length; i++)
            {
                v[i] /= norm;
            }
            basis[k] = v;
        }
        for (var k = 0; k < count; k++)
        {
            for (var i = 0; i < length; i++)
            {
                destination[tall ? i * columns + k : k * columns + i] = gain * basis[k][i];
            }
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
