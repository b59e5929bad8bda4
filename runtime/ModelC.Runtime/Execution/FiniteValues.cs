using System.Numerics;
using System.Runtime.InteropServices;

namespace ModelC.Runtime.Execution;

/// <summary>Finds infinities and NaNs in float tensors, a vector at a time.</summary>
public static class FiniteValues
{
    /// <summary>The index of the first infinity or NaN in <paramref name="values"/>, or −1.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        // x − x is 0 for every finite x and NaN for ±inf and NaN: one subtraction and compare a lane.
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var tail = vectors.Length * Vector<float>.Count;
        for (var i = 0; i < vectors.Length; i++)
        {
            var v = vectors[i];
            if (!Vector.EqualsAll(v - v, Vector<float>.Zero))
            {
                tail = i * Vector<float>.Count;
                break;
            }
        }
        for (var i = tail; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
