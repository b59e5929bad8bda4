using System.Globalization;

namespace ModelC.Runtime.Execution;

/// <summary>
/// Checks the values of an i32 input used as class labels or gather indices against its valid
/// range [0, bound) (<see cref="Manifest.TensorSpec.IndexBound"/>): the kernels cannot report a
/// value outside it, they would silently miss or clamp it.
/// </summary>
public static class IndexRange
{
    /// <summary>The position of the first value of <paramref name="values"/> outside [0, <paramref name="bound"/>), or −1 when all are inside.</summary>
    public static int FirstOutside(ReadOnlySpan<int> values, int bound)
    {
        for (var i = 0; i < values.Length; i++)
        {
            // One unsigned compare tests both ends.
            if ((uint)values[i] >= (uint)bound)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Says which element is out of range: "y[17] = 7 is out of range for model Mlp (0 to 2)", the
    /// element named by its index in every axis of <paramref name="shape"/>.
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="array">The array or input that holds the value.</param>
    /// <param name="shape">The array's shape, samples first.</param>
    /// <param name="position">The element's row-major position.</param>
    /// <param name="value">The element.</param>
    /// <param name="bound">The end of the valid range.</param>
    public static string Describe(string model, string array, ReadOnlySpan<long> shape, long position, int value, int bound)
    {
        var index = new long[shape.Length];
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            index[axis] = shape[axis] == 0 ? 0 : position % shape[axis];
            position /= Math.Max(shape[axis], 1);
        }
        var at = string.Join(", ", index.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        return $"{array}[{at}] = {value} is out of range for model {model} (0 to {bound - 1})";
    }
}
