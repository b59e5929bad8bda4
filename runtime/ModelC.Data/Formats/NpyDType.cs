using System.Buffers.Binary;
using ModelC.Runtime.Manifest;

namespace ModelC.Data.Formats;

/// <summary>
/// An .npy element type this reader takes and the runtime type it becomes: float64 narrows to
/// float32 and int64 to int32 (range checked), because a model's buffers hold nothing wider;
/// uint8 widens to int32 (class labels and pixel values are commonly stored so).
/// </summary>
internal sealed class NpyDType
{
    private delegate string? Converter(ReadOnlySpan<byte> raw, Array destination, int first);

    private readonly Converter _convert;

    private NpyDType(string descr, int size, ElementType target, Converter convert)
    {
        Descr = descr;
        Size = size;
        Target = target;
        _convert = convert;
    }

    /// <summary>The numpy type string, e.g. <c>&lt;f4</c>.</summary>
    public string Descr { get; }

    /// <summary>Bytes per element in the file.</summary>
    public int Size { get; }

    /// <summary>The runtime element type the values become.</summary>
    public ElementType Target { get; }

    private static readonly NpyDType[] Types =
    [
        new("<f4", 4, ElementType.F32, (raw, d, first) => Each(raw, 4, (float[])d, first, b => BinaryPrimitives.ReadSingleLittleEndian(b))),
        new("<f8", 8, ElementType.F32, (raw, d, first) => Each(raw, 8, (float[])d, first, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b))),
        new("<i4", 4, ElementType.I32, (raw, d, first) => Each(raw, 4, (int[])d, first, b => BinaryPrimitives.ReadInt32LittleEndian(b))),
        new("<i8", 8, ElementType.I32, NarrowInt64),
        new("|b1", 1, ElementType.Bool, CheckBool),
        new("|u1", 1, ElementType.I32, (raw, d, first) => Each(raw, 1, (int[])d, first, b => b[0])),
    ];

    /// <summary>The types read, by type string.</summary>
    public static IReadOnlyDictionary<string, NpyDType> All { get; } = Types.ToDictionary(t => t.Descr, StringComparer.Ordinal);

    /// <summary>The type strings read, for messages.</summary>
    public static string Names { get; } = string.Join(", ", Types.Select(t => t.Descr));

    /// <summary>
    /// Converts <paramref name="raw"/> (whole elements) into <paramref name="destination"/> from
    /// element <paramref name="first"/> on; returns the first value that cannot be represented, or null.
    /// </summary>
    public string? Convert(ReadOnlySpan<byte> raw, Array destination, int first) => _convert(raw, destination, first);

    /// <summary>Allocates the runtime array for <paramref name="count"/> elements.</summary>
    public Array Allocate(int count) => Target switch
    {
        ElementType.F32 => new float[count],
        ElementType.I32 => new int[count],
        _ => new byte[count],
    };

    private delegate T Decode<T>(ReadOnlySpan<byte> element);

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
                return $"element {first + i} is {raw[i]}, not a bool (0 or 1)";
            }
            bytes[first + i] = raw[i];
        }
        return null;
    }
}
