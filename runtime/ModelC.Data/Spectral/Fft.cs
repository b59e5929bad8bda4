using System.Collections.Concurrent;
using System.Numerics;

namespace ModelC.Data.Spectral;

/// <summary>
/// The discrete Fourier transform <c>X_k = Σ_j x_j e^{−2πi jk/N}</c> and its inverse (scaled
/// by 1/N): an iterative radix-2 FFT for power-of-two lengths, the direct O(N²) sum for others
/// (the grids here are small; a Bluestein transform would not pay for itself).
/// </summary>
public static class Fft
{
    // e^{−2πi k/N} for k < N, per length: shared by every transform of that length, on any thread.
    private static readonly ConcurrentDictionary<int, Complex[]> RootsByLength = new();

    /// <summary>Transforms <paramref name="data"/> in place.</summary>
    /// <param name="data">The sequence; any length.</param>
    /// <param name="inverse">True for the inverse transform (conjugate roots, scaled by 1/N).</param>
    public static void Transform(Span<Complex> data, bool inverse)
    {
        var n = data.Length;
        if (n <= 1)
        {
            return;
        }
        var roots = Roots(n);
        if (BitOperations.IsPow2(n))
        {
            Radix2(data, roots, inverse);
        }
        else
        {
            Direct(data, roots, inverse);
        }
        if (inverse)
        {
            var scale = 1.0 / n;
            for (var i = 0; i < n; i++)
            {
                data[i] *= scale;
            }
        }
    }

    /// <summary>Transforms a row-major <paramref name="rows"/> × <paramref name="columns"/> array in place: every row, then every column.</summary>
    public static void Transform2D(Span<Complex> data, int rows, int columns, bool inverse)
    {
        if (data.Length != rows * columns)
        {
            throw new ArgumentException($"a {rows} × {columns} array has {rows * columns} elements, not {data.Length}", nameof(data));
        }
        for (var r = 0; r < rows; r++)
        {
            Transform(data.Slice(r * columns, columns), inverse);
        }
        var column = rows <= 1024 ? stackalloc Complex[rows] : new Complex[rows];
        for (var c = 0; c < columns; c++)
        {
            for (var r = 0; r < rows; r++)
            {
                column[r] = data[r * columns + c];
            }
            Transform(column, inverse);
            for (var r = 0; r < rows; r++)
            {
                data[r * columns + c] = column[r];
            }
        }
    }

    private static Complex[] Roots(int n) => RootsByLength.GetOrAdd(n, static n =>
    {
        var roots = new Complex[n];
        for (var k = 0; k < n; k++)
        {
            // Computed from the angle each time, not by repeated multiplication, so rounding does not accumulate.
            var angle = -2.0 * Math.PI * k / n;
            roots[k] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }
        return roots;
    });

    private static void Radix2(Span<Complex> data, Complex[] roots, bool inverse)
    {
        var n = data.Length;
        // Bit-reversal permutation, then log2(n) stages of butterflies.
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }
            j |= bit;
            if (i < j)
            {
                (data[i], data[j]) = (data[j], data[i]);
            }
        }
        for (var length = 2; length <= n; length <<= 1)
        {
            var half = length >> 1;
            var stride = n / length;
            for (var start = 0; start < n; start += length)
            {
                for (var k = 0; k < half; k++)
                {
                    var root = roots[k * stride];
                    var w = inverse ? Complex.Conjugate(root) : root;
                    var odd = w * data[start + k + half];
                    var even = data[start + k];
                    data[start + k] = even + odd;
                    data[start + k + half] = even - odd;
                }
            }
        }
    }

    private static void Direct(Span<Complex> data, Complex[] roots, bool inverse)
    {
        var n = data.Length;
        var result = n <= 1024 ? stackalloc Complex[n] : new Complex[n];
        for (var k = 0; k < n; k++)
        {
            var sum = Complex.Zero;
            for (var j = 0; j < n; j++)
            {
                var root = roots[(int)((long)j * k % n)];
                sum += data[j] * (inverse ? Complex.Conjugate(root) : root);
            }
            result[k] = sum;
        }
        result.CopyTo(data);
    }
}
