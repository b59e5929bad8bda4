using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using ModelC.Runtime.Data;

namespace ModelC.Cli;

/// <summary>
/// Reads numpy's <c>.npz</c> archives (<c>numpy.savez</c>): a zip of <c>.npy</c> arrays, each a
/// header naming its dtype and shape, then the data in C order. Little-endian float32/float64
/// become f32, int32/int64 become i32, bool stays bool.
/// </summary>
internal static partial class NpzFile
{
    /// <summary>The arrays of the archive by name (without the <c>.npy</c> suffix).</summary>
    /// <exception cref="InvalidDataException">The file is not an npz archive of supported arrays (the message says which and why).</exception>
    public static Dictionary<string, DataArray> Read(string path)
    {
        using var archive = ZipFile.OpenRead(path);
        var arrays = new Dictionary<string, DataArray>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries.Where(e => e.Name.EndsWith(".npy", StringComparison.Ordinal)))
        {
            using var stream = entry.Open();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var name = entry.FullName[..^4];
            arrays[name] = Parse(memory.ToArray(), name);
        }
        return arrays;
    }

    private static DataArray Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8))
        {
            throw new InvalidDataException($"'{name}' is not a .npy array");
        }
        var (headerLength, start) = bytes[6] == 1 ? (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10) : ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12);
        var header = System.Text.Encoding.Latin1.GetString(bytes, start, headerLength);
        var descr = Descr().Match(header);
        var shapeText = ShapeText().Match(header);
        if (!descr.Success || !shapeText.Success || header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{name}' has a header ModelC does not read: {header.Trim()}");
        }
        var shape = shapeText.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        var count = shape.Aggregate(1, (n, d) => checked(n * d));
        var data = bytes.AsSpan(start + headerLength);
        return descr.Groups[1].Value switch
        {
            "<f4" => DataArray.Of(Values(data, count, 4, s => BinaryPrimitives.ReadSingleLittleEndian(s)), shape),
            "<f8" => DataArray.Of(Values(data, count, 8, s => (float)BinaryPrimitives.ReadDoubleLittleEndian(s)), shape),
            "<i4" => DataArray.Of(Values(data, count, 4, s => BinaryPrimitives.ReadInt32LittleEndian(s)), shape),
            "<i8" => DataArray.Of(Values(data, count, 8, s => checked((int)BinaryPrimitives.ReadInt64LittleEndian(s))), shape),
            "|b1" => DataArray.Of(Values(data, count, 1, s => s[0]), shape),
            var other => throw new InvalidDataException($"'{name}' has dtype {other}; ModelC reads <f4, <f8, <i4, <i8 and |b1"),
        };
    }

    private delegate T Reader<T>(ReadOnlySpan<byte> bytes);

    private static T[] Values<T>(ReadOnlySpan<byte> data, int count, int size, Reader<T> read)
    {
        if (data.Length < (long)count * size)
        {
            throw new InvalidDataException("an array is shorter than its shape says");
        }
        var values = new T[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = read(data.Slice(i * size, size));
        }
        return values;
    }

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeText();
}
