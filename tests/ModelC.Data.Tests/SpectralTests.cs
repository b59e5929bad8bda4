using System.Numerics;
using ModelC.Data.Spectral;
using ModelC.Runtime.Initialization;

namespace ModelC.Data.Tests;

public sealed class SpectralTests
{
    private static Complex[] RandomComplex(int n, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        return [.. Enumerable.Range(0, n).Select(_ => new Complex(random.NextGaussian(), random.NextGaussian()))];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(12)]
    [InlineData(65)]
    public void FftMatchesTheDefinitionAndRoundTrips(int n)
    {
        var x = RandomComplex(n, 1);
        var transformed = x.ToArray();
        Fft.Transform(transformed, inverse: false);
        for (var k = 0; k < n; k++)
        {
            var sum = Complex.Zero;
            for (var j = 0; j < n; j++)
            {
                sum += x[j] * Complex.FromPolarCoordinates(1, -2 * Math.PI * j * k / n);
            }
            Assert.True((sum - transformed[k]).Magnitude < 1e-10 * n, $"k = {k}: {sum} vs {transformed[k]}");
        }
        Fft.Transform(transformed, inverse: true);
        for (var j = 0; j < n; j++)
        {
            Assert.True((x[j] - transformed[j]).Magnitude < 1e-12 * n);
        }
    }

    [Fact]
    public void Fft2DRoundTripsAndTransformsAPlaneWave()
    {
        const int rows = 8, columns = 16;
        var x = RandomComplex(rows * columns, 2);
        var y = x.ToArray();
        Fft.Transform2D(y, rows, columns, inverse: false);
        Fft.Transform2D(y, rows, columns, inverse: true);
        Assert.All(Enumerable.Range(0, x.Length), i => Assert.True((x[i] - y[i]).Magnitude < 1e-12));

        // e^{2πi(3r/rows + 5c/columns)} has all its energy at (3, 5).
        var wave = new Complex[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                wave[r * columns + c] = Complex.FromPolarCoordinates(1, 2 * Math.PI * (3.0 * r / rows + 5.0 * c / columns));
            }
        }
        Fft.Transform2D(wave, rows, columns, inverse: false);
        for (var i = 0; i < wave.Length; i++)
        {
            var expected = i == 3 * columns + 5 ? rows * columns : 0.0;
            Assert.True((wave[i] - expected).Magnitude < 1e-9);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void SineTransformMatchesTheDefinitionAndRoundTrips(int n)
    {
        var sine = SeparableTransform.Sine(n);
        var random = new DeterministicRandom(3);
        var x = Enumerable.Range(0, n).Select(_ => random.NextGaussian()).ToArray();
        var y = new double[n];
        sine.Apply(x, y);
        for (var k = 0; k < n; k++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                sum += x[j] * Math.Sin(Math.PI * (j + 1) * (k + 1) / (n + 1));
            }
            Assert.Equal(sum, y[k], 1e-10);
        }
        var back = new double[n];
        sine.Apply(y, back);
        for (var j = 0; j < n; j++)
        {
            Assert.Equal(x[j], back[j] * 2 / (n + 1), 1e-12);
        }
    }

    [Fact]
    public void SineTransform2DIsTheProductOfRowAndColumnTransforms()
    {
        const int n = 9;
        var sine = SeparableTransform.Sine(n);
        var random = new DeterministicRandom(4);
        var x = Enumerable.Range(0, n * n).Select(_ => random.NextGaussian()).ToArray();
        var y = new double[n * n];
        sine.Apply2D(x, y, new double[n * n]);
        for (var k = 0; k < n; k++)
        {
            for (var l = 0; l < n; l++)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        sum += x[i * n + j] * sine[k, i] * sine[l, j];
                    }
                }
                Assert.Equal(sum, y[k * n + l], 1e-10);
            }
        }
        var back = new double[n * n];
        sine.Apply2D(y, back, new double[n * n]);
        var scale = 4.0 / ((n + 1) * (n + 1));
        Assert.All(Enumerable.Range(0, n * n), i => Assert.Equal(x[i], back[i] * scale, 1e-12));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RandomFieldsHaveUnitVarianceAndMeanZero(bool periodic)
    {
        const int n = 32, samples = 200;
        var field = periodic ? GaussianRandomField.Periodic(n) : GaussianRandomField.Cosine(n);
        var values = new double[n * n];
        double sum = 0, sumOfSquares = 0;
        for (var s = 0; s < samples; s++)
        {
            field.Sample(new DeterministicRandom((ulong)s), values);
            sum += values.Sum();
            sumOfSquares += values.Sum(v => v * v);
            if (periodic)
            {
                Assert.True(Math.Abs(values.Average()) < 1e-12);
            }
        }
        var count = (double)samples * n * n;
        Assert.InRange(sum / count, -0.1, 0.1);
        Assert.InRange(sumOfSquares / count, 0.8, 1.2);
    }
}
