using System.Collections.Immutable;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Data;

/// <summary>
/// An n-dimensional array in managed memory, row-major: what checkpoints, data files and
/// synthetic data sets hold, before it is copied into a model's native buffers.
/// </summary>
public sealed class DataArray
{
    private DataArray(ElementType type, ImmutableArray<int> shape, Array data)
    {
        if (shape.Any(d => d < 0))
        {
            throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]", nameof(shape));
        }
        var count = shape.Aggregate(1L, (p, d) => p * d);
        if (count != data.LongLength)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} elements, the data {data.LongLength}", nameof(data));
        }
        Type = type;
        Shape = shape;
        Data = data;
    }

    /// <summary>The element type.</summary>
    public ElementType Type { get; }

    /// <summary>The dimensions.</summary>
    public ImmutableArray<int> Shape { get; }

    /// <summary>The elements: a <c>float[]</c>, <c>int[]</c> or <c>byte[]</c> after <see cref="Type"/>.</summary>
    public Array Data { get; }

    /// <summary>The number of elements.</summary>
    public long Count => Data.LongLength;

    /// <summary>A float32 array over <paramref name="data"/> (not copied).</summary>
    public static DataArray Of(float[] data, params int[] shape) => new(ElementType.F32, [.. shape], data);

    /// <summary>An int32 array over <paramref name="data"/> (not copied).</summary>
    public static DataArray Of(int[] data, params int[] shape) => new(ElementType.I32, [.. shape], data);

    /// <summary>A bool array (bytes 0 or 1) over <paramref name="data"/> (not copied).</summary>
    public static DataArray Of(byte[] data, params int[] shape) => new(ElementType.Bool, [.. shape], data);

    /// <summary>An array over <paramref name="data"/> (not copied), typed by it: <c>float[]</c>, <c>int[]</c> or <c>byte[]</c> (bool).</summary>
    /// <exception cref="ArgumentException">The data is of another element type.</exception>
    public static DataArray Of(Array data, params int[] shape) => data switch
    {
        float[] f => Of(f, shape),
        int[] i => Of(i, shape),
        byte[] b => Of(b, shape),
        _ => throw new ArgumentException($"no runtime element type holds {data.GetType()}", nameof(data)),
    };

    /// <summary>The elements' bytes in memory (little-endian on the machines the runtime supports, bools as bytes).</summary>
    public Span<byte> AsBytes() => AsBytes(Data);

    /// <summary>The bytes of a <c>float[]</c>, <c>int[]</c> or <c>byte[]</c>.</summary>
    /// <exception cref="ArgumentException">The data is of another element type.</exception>
    public static Span<byte> AsBytes(Array data) => data switch
    {
        float[] f => System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.AsSpan()),
        int[] i => System.Runtime.InteropServices.MemoryMarshal.AsBytes(i.AsSpan()),
        byte[] b => b,
        _ => throw new ArgumentException($"no runtime element type holds {data.GetType()}", nameof(data)),
    };

    /// <summary>The elements of a float32 array.</summary>
    /// <exception cref="InvalidOperationException">The array is not float32.</exception>
    public float[] Floats => Data as float[] ?? throw WrongType(ElementType.F32);

    /// <summary>The elements of an int32 array.</summary>
    /// <exception cref="InvalidOperationException">The array is not int32.</exception>
    public int[] Ints => Data as int[] ?? throw WrongType(ElementType.I32);

    /// <summary>The elements of a bool array.</summary>
    /// <exception cref="InvalidOperationException">The array is not bool.</exception>
    public byte[] Bytes => Data as byte[] ?? throw WrongType(ElementType.Bool);

    /// <summary>The shape as text, e.g. <c>[8, 1, 64, 64]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    private InvalidOperationException WrongType(ElementType wanted) =>
        new($"the array holds {Type.ToString().ToLowerInvariant()}, not {wanted.ToString().ToLowerInvariant()}");
}
