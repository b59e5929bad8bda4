using System.Collections.Immutable;

namespace ModelC.Compiler.IR.Ops;

/// <summary>
/// Value equality of op attributes where a record's own would not do: it compares an
/// <see cref="ImmutableArray{T}"/> field by reference, so ops that carry one override their
/// equality with these to stay values (two <c>permute[1,0]</c> built apart are the same op); and
/// it compares doubles numerically, where a constant −0 is not a constant 0.
/// </summary>
internal static class AttributeEquality
{
    /// <summary>True when both arrays hold equal elements in the same order.</summary>
    public static bool Equal<T>(ImmutableArray<T> a, ImmutableArray<T> b) where T : IEquatable<T> =>
        a.AsSpan().SequenceEqual(b.AsSpan());

    /// <summary>A hash of the elements in order.</summary>
    public static int Hash<T>(ImmutableArray<T> values)
    {
        var hash = new HashCode();
        foreach (var value in values.AsSpan())
        {
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    /// <summary>Equality of doubles by their bits, so that 0 and −0 differ (and a NaN equals itself).</summary>
    public static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}
