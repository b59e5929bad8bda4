using System.Buffers.Binary;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Checkpoints;

/// <summary>
/// A safetensors element type this runtime reads, with the runtime type it becomes. Files from
/// PyTorch commonly hold float64, float16, bfloat16 or int64, which are narrowed on reading
/// because a model's buffers are float32 and int32 only.
/// </summary>
internal sealed class SafetensorsDType
{
    private delegate string? Converter(ReadOnlySpan<byte> raw, Array destination, int first);

    private readonly Converter _convert;

    private SafetensorsDType(string name, int size, ElementType target, Converter convert)
    {
        Name = name;
        Size = size;
        Target = target;
        _convert = convert;
    }

    /// <summary>The name in the header, e.g. <c>F32</c>.</summary>
    public string Name { get; }

    /// <summary>Bytes per element in the file.</summary>
    public int Size { get; }

    /// <summary>The runtime element type the values become.</summary>
    public ElementType Target { get; }

    /// <summary>True when the file's bytes are the runtime array's bytes (no conversion).</summary>
    public bool IsVerbatim => Name is "F32" or "I32" or "BOOL";

    private static readonly SafetensorsDType[] Types =
    [
        new("F32", 4, ElementType.F32, (raw, d, first) => Each(raw, 4, (float[])d, first, b => BinaryPrimitives.ReadSingleLittleEndian(b))),
        new("F64", 8, ElementType.F32, (raw, d, first) => Each(raw, 8, (float[])d, first, b => (float)BinaryPrimitives.ReadDoubleLittleEndian(b))),
        new("F16", 2, ElementType.F32, (raw, d, first) => Each(raw, 2, (float[])d, first, b => (float)BinaryPrimitives.ReadHalfLittleEndian(b))),
        // bfloat16 is the top half of a float32, so widening is a shift.
        new("BF16", 2, ElementType.F32, (raw, d, first) => Each(raw, 2, (float[])d, first, b => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(b) << 16))),
        new("I32", 4, ElementType.I32, (raw, d, first) => Each(raw, 4, (int[])d, first, b => BinaryPrimitives.ReadInt32LittleEndian(b))),
        new("I64", 8, ElementType.I32, NarrowInt64),
        new("I16", 2, ElementType.I32, (raw, d, first) => Each(raw, 2, (int[])d, first, b => BinaryPrimitives.ReadInt16LittleEndian(b))),
        new("U16", 2, ElementType.I32, (raw, d, first) => Each(raw, 2, (int[])d, first, b => BinaryPrimitives.ReadUInt16LittleEndian(b))),
        new("I8", 1, ElementType.I32, (raw, d, first) => Each(raw, 1, (int[])d, first, b => (sbyte)b[0])),
        new("U8", 1, ElementType.I32, (raw, d, first) => Each(raw, 1, (int[])d, first, b => b[0])),
        new("BOOL", 1, ElementType.Bool, CheckBool),
    ];

    /// <summary>The types read, by header name.</summary>
    public static IReadOnlyDictionary<string, SafetensorsDType> All { get; } = Types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The names of the types read, for messages.</summary>
    public static string Names { get; } = string.Join(", ", Types.Select(t => t.Name));

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
