using ModelC.Data;
using ModelC.Runtime.Data;

namespace ModelC.Training.Tests;

/// <summary>
/// Synthetic "digits" for examples/mlp/mlp.mdl: 784 pixels of uniform noise in [0, 1), plus 0.3
/// on the label's band of 78 pixels; x f32[N, 784], y i32[N] over 10 classes.
/// </summary>
internal static class BandedDigits
{
    private const int Pixels = 784, Classes = 10, Band = Pixels / Classes;

    /// <summary><paramref name="count"/> samples drawn with <paramref name="seed"/>.</summary>
    public static Dataset Create(int count, int seed)
    {
        var random = new Random(seed);
        var x = new float[count * Pixels];
        var y = new int[count];
        for (var n = 0; n < count; n++)
        {
            y[n] = random.Next(Classes);
            for (var p = 0; p < Pixels; p++)
            {
                x[n * Pixels + p] = (float)random.NextDouble() + (p / Band == y[n] ? 0.3f : 0f);
            }
        }
        return new Dataset(("x", DataArray.Of(x, [count, Pixels])), ("y", DataArray.Of(y, [count])));
    }
}
