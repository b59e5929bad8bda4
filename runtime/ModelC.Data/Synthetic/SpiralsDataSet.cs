using ModelC.Runtime.Data;

namespace ModelC.Data.Synthetic;

/// <summary>
/// Interleaved spirals in the plane, one arm per class: a small classification problem that
/// no linear model solves.
/// </summary>
public static class SpiralsDataSet
{
    // How far each arm winds, in turns, from the centre to radius 1.
    private const double Turns = 0.75;

    /// <summary>
    /// Generates <paramref name="count"/> points: <c>x</c> float32 <c>[count, 2]</c> and the class
    /// <c>y</c> int32 <c>[count]</c>. Sample i is on arm <c>i mod classes</c> (balanced classes) at
    /// radius t ~ U[0, 1) and angle 2π(arm/classes + Turns·t), plus Gaussian noise of standard
    /// deviation <paramref name="noise"/> on each coordinate.
    /// </summary>
    public static Dataset Generate(int count, ulong seed, int classes = 2, double noise = 0.1) =>
        PlanePoints.Generate(count, seed, classes, noise, (arm, random) =>
        {
            var t = random.NextDouble();
            return (t, 2 * Math.PI * ((double)arm / classes + Turns * t));
        });
}
