using System.Buffers.Binary;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Data;

/// <summary>
/// How a file stores one element type, and the runtime type it becomes: float64, float16 and
/// bfloat16 narrow or widen to float32, integers to int32 (range checked), because a model's
/// buffers hold float32, int32 and bool only. Shared by the safetensors and .npy readers, which
/// differ only in what they call the types.
/// </summary>
public sealed class StoredElement
{
    private delegate string? Converter(ReadOnlySpan<byte> raw, Array destination, int first);

    private delegate T Decode<T>(ReadOnlySpan<byte> element);

    private readonly Converter _convert;

    private StoredElement(string name, int size, ElementType target, bool verbatim, Converter convert)
    {
        Name = name;
        Size = size;
        Target = target;
        IsVerbatim = verbatim;
        _convert = convert;
    }

    /// <summary>The format's name for the type, e.g. <c>F32</c> or <c>&lt;f4</c>.</summary>
    public string Name { get; }

    /// <summary>Bytes per element in the file.</summary>
    public int Size { get; }

    /// <summary>The runtime element type the values become.</summary>
    public ElementType Target { get; }

    /// <summary>
    /// True when the file's bytes are the runtime array's bytes on a little-endian machine (float32,
    /// int32, bool): read straight into the array, then <see cref="CheckInPlace"/>.
    /// </summary>
    public bool IsVerbatim { get; }

    /// <summary>Little-endian float32.</summary>
    public static StoredElement Float32(string name) => new(name, 4, ElementType.F32, true, (raw, d, first) => Each(raw, 4, (float[])d, first, BinaryPrimitives.ReadSingleLittleEndian));

    /// <summary>Little-endian float64, narrowed.</summary>
    public static StoredElement Float64(string name) => new(name, 8, ElementType.F32, false, (raw, d, first) => Each(raw, 8, (float[])d, first, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b)));

    /// <summary>Little-endian IEEE half precision, widened.</summary>
    public static StoredElement Float16(string name) => new(name, 2, ElementType.F32, false, (raw, d, first) => Each(raw, 2, (float[])d, first, b => (float)BinaryPrimitives.ReadHalfLittleEndian(b)));

    /// <summary>Little-endian bfloat16: the top half of a float32, so widening is a shift.</summary>
    public static StoredElement BFloat16(string name) => new(name, 2, ElementType.F32, false, (raw, d, first) => Each(raw, 2, (float[])d, first, b => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(b) << 16)));

    /// <summary>Little-endian int32.</summary>
    public static StoredElement Int32(string name) => new(name, 4, ElementType.I32, true, (raw, d, first) => Each(raw, 4, (int[])d, first, BinaryPrimitives.ReadInt32LittleEndian));

    /// <summary>Little-endian int64, narrowed with a range check.</summary>
    public static StoredElement Int64(string name) => new(name, 8, ElementType.I32, false, NarrowInt64);

    /// <summary>Little-endian int16, widened.</summary>
    public static StoredElement Int16(string name) => new(name, 2, ElementType.I32, false, (raw, d, first) => Each(raw, 2, (int[])d, first, b => BinaryPrimitives.ReadInt16LittleEndian(b)));

    /// <summary>Little-endian uint16, widened.</summary>
    public static StoredElement UInt16(string name) => new(name, 2, ElementType.I32, false, (raw, d, first) => Each(raw, 2, (int[])d, first, b => BinaryPrimitives.ReadUInt16LittleEndian(b)));

    /// <summary>Signed bytes, widened.</summary>
    public static StoredElement Int8(string name) => new(name, 1, ElementType.I32, false, (raw, d, first) => Each(raw, 1, (int[])d, first, b => (sbyte)b[0]));

    /// <summary>Unsigned bytes (class labels, pixels), widened to int32.</summary>
    public static StoredElement UInt8(string name) => new(name, 1, ElementType.I32, false, (raw, d, first) => Each(raw, 1, (int[])d, first, b => b[0]));

    /// <summary>Bools as bytes 0 or 1.</summary>
    public static StoredElement Bool(string name) => new(name, 1, ElementType.Bool, true, CheckBool);

    /// <summary>
    /// Converts <paramref name="raw"/> (whole elements) into <paramref name="destination"/> from
    /// element <paramref name="first"/> on; returns the first value that cannot be represented, or null.
    /// </summary>
    public string? Convert(ReadOnlySpan<byte> raw, Array destination, int first) => _convert(raw, destination, first);

    /// <summary>For a verbatim read of the whole array: the first stored value that is not valid (a bool other than 0 or 1), or null.</summary>
    public string? CheckInPlace(ReadOnlySpan<byte> bytes)
    {
        var bad = Target == ElementType.Bool ? bytes.IndexOfAnyExcept((byte)0, (byte)1) : -1;
        return bad < 0 ? null : NotABool(bad, bytes[bad]);
    }

    /// <summary>Allocates the runtime array for <paramref name="count"/> elements.</summary>
    public Array Allocate(int count) => Target switch
    {
        ElementType.F32 => new float[count],
        ElementType.I32 => new int[count],
        _ => new byte[count],
    };

    private static string? Each<T>(ReadOnlySpan<byte> raw, int size, T[] destination, int first, Decode<T> decode)
    {
        for (int i = 0, o = 0; o < raw.Length; i++, o += size)
        {
            destination[first + i] = decode(raw.Slice(o, size));
        }
        return null;
    }

    private static string? NarrowInt64(ReadOnlySpan<byte> raw, Array destination, int first)
    {
        var ints = (int[])destination;
        for (int i = 0, o = 0; o < raw.Length; i++, o += 8)
        {
            var v = BinaryPrimitives.ReadInt64LittleEndian(raw.Slice(o, 8));
            if (v is < int.MinValue or > int.MaxValue)
            {
                return $"element {first + i} is {v}, outside the int32 range";
            }
            ints[first + i] = (int)v;
        }
        return null;
    }

    private static string? CheckBool(ReadOnlySpan<byte> raw, Array destination, int first)
    {
        var bytes = (byte[])destination;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] > 1)
            {
                return NotABool(first + i, raw[i]);
            }
            bytes[first + i] = raw[i];
        }
        return null;
    }

    private static string NotABool(int index, byte value) => $"element {index} is {value}, not a bool (0 or 1)";
}
