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
    public static Dataset Generate(int count, ulong seed, int classes = 2, double noise = 0.05) =>
        PlanePoints.Generate(count, seed, classes, noise, (circle, random) => ((circle + 1.0) / classes, 2 * Math.PI * random.NextDouble()));
}
