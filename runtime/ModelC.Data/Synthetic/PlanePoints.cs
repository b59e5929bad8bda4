using ModelC.Runtime.Data;
using ModelC.Runtime.Initialization;

namespace ModelC.Data.Synthetic;

/// <summary>
/// What the 2-D classification sets share: sample i belongs to class <c>i mod classes</c>
/// (balanced classes), sits at a polar position its set draws, plus Gaussian noise on each
/// coordinate; arrays <c>x</c> float32 [count, 2] and <c>y</c> int32 [count].
/// </summary>
internal static class PlanePoints
{
    /// <summary>The radius and angle of a point of class <c>label</c>, drawn from <c>random</c>.</summary>
    public delegate (double Radius, double Angle) Place(int label, DeterministicRandom random);

    public static Dataset Generate(int count, ulong seed, int classes, double noise, Place place)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        var points = new float[count * 2];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var random = SampleRandom.For(seed, i);
            var label = i % classes;
            var (radius, angle) = place(label, random);
            points[2 * i] = (float)(radius * Math.Cos(angle) + noise * random.NextGaussian());
            points[2 * i + 1] = (float)(radius * Math.Sin(angle) + noise * random.NextGaussian());
            labels[i] = label;
        }
        return new Dataset(("x", DataArray.Of(points, count, 2)), ("y", DataArray.Of(labels, count)));
    }
}
