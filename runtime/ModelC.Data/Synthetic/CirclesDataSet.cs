using ModelC.Runtime.Data;

namespace ModelC.Data.Synthetic;

/// <summary>Concentric circles in the plane, one per class: a small classification problem with radial boundaries.</summary>
public static class CirclesDataSet
{
    /// <summary>
    /// Generates <paramref name="count"/> points: <c>x</c> float32 <c>[count, 2]</c> and the class
    /// <c>y</c> int32 <c>[count]</c>. Sample i is on circle <c>c = i mod classes</c> (balanced
    /// classes), of radius (c + 1)/classes, at a uniform angle, plus Gaussian noise of standard
    /// deviation <paramref name="noise"/> on each coordinate.
    /// </summary>
    public static Dataset Generate(int count, ulong seed, int classes = 2, double noise = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        var points = new float[count * 2];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var random = SampleRandom.For(seed, i);
            var circle = i % classes;
            var radius = (circle + 1.0) / classes;
            var angle = 2 * Math.PI * random.NextDouble();
            points[2 * i] = (float)(radius * Math.Cos(angle) + noise * random.NextGaussian());
            points[2 * i + 1] = (float)(radius * Math.Sin(angle) + noise * random.NextGaussian());
            labels[i] = circle;
        }
        return new Dataset(("x", DataArray.Of(points, count, 2)), ("y", DataArray.Of(labels, count)));
    }
}
