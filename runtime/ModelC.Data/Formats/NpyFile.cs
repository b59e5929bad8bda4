using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ModelC.Runtime;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;
using ModelC.Runtime.Manifest;

namespace ModelC.Data.Formats;

/// <summary>
/// Reads and writes numpy's .npy files (format versions 1.0, 2.0 and 3.0): a magic string, a
/// version, a Python dict literal giving dtype, memory order and shape, then the elements.
/// Reads little-endian float32, float64, int32, int64, bool and uint8 in C order; writes
/// float32, int32 and bool.
/// </summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Refuses absurd header lengths before allocating; numpy's own limit is 10,000 characters.</summary>
    private const int MaxHeaderLength = 1 << 20;

    /// <summary>Bytes converted at a time for dtypes that are narrowed or widened on reading.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>Numpy aligns the data to 64 bytes, padding the header with spaces before its newline.</summary>
    private const int Alignment = 64;

    /// <summary>Reads the array in the file at <paramref name="path"/>, refusing bytes after it.</summary>
    /// <exception cref="DataFormatException">The path is not a regular file, or the file is not an .npy file this reader takes.</exception>
    public static DataArray Read(string path)
    {
        DataPath.RequireRegularFile(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return Read(stream, problem => new DataFormatException(path, problem), toEnd: true);
    }

    /// <summary>
    /// Reads one array from <paramref name="stream"/>, leaving it just after the array's data
    /// (numpy can append several arrays to one file). <paramref name="name"/> names the source
    /// in errors.
    /// </summary>
    /// <exception cref="DataFormatException">The data is not an .npy array this reader takes.</exception>
    public static DataArray Read(Stream stream, string name = "<stream>")
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, problem => new DataFormatException(name, problem), toEnd: false);
    }

    /// <summary>
    /// Reads one array; with <paramref name="toEnd"/>, the stream must end with it.
    /// <paramref name="size"/> bounds the bytes the stream holds when it cannot seek (an archive
    /// entry's size); a seekable stream's own length bounds them otherwise.
    /// </summary>
    internal static DataArray Read(Stream stream, Func<string, Exception> fail, bool toEnd, long? size = null)
    {
        var (header, headerBytes) = ReadHeader(stream, fail);
        var (dtype, shape) = Interpret(header, fail);
        var count = (int)shape.Aggregate(1L, (p, d) => p * d);
        var needed = (long)count * dtype.Size;
        // A header may claim any shape: the claim is checked against the bytes there are before
        // the array is allocated, so a small file cannot ask for gigabytes.
        var available = stream.CanSeek ? stream.Length - stream.Position : size - headerBytes;
        if (needed > available)
        {
            throw fail(Truncated(available.Value, shape, dtype, needed));
        }
        var array = dtype.Allocate(count);
        long got;
        string? problem = null;
        if (dtype.IsVerbatim && BitConverter.IsLittleEndian)
        {
            // The file's bytes are the array's bytes: read straight into it.
            var bytes = DataArray.AsBytes(array);
            got = ReadAtMost(stream, bytes);
            if (got == needed)
            {
                problem = dtype.CheckInPlace(bytes);
            }
        }
        else
        {
            got = 0;
            var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            try
            {
                var perChunk = ChunkBytes / dtype.Size;
                for (var first = 0; first < count && got == (long)first * dtype.Size; first += perChunk)
                {
                    var span = chunk.AsSpan(0, Math.Min(perChunk, count - first) * dtype.Size);
                    var n = ReadAtMost(stream, span);
                    got += n;
                    if (n == span.Length)
                    {
                        problem ??= dtype.Convert(span, array, first);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
        if (got < needed)
        {
            throw fail(Truncated(got, shape, dtype, needed));
        }
        if (problem is not null)
        {
            throw fail(problem);
        }
        if (toEnd)
        {
            var extra = CountRemaining(stream);
            if (extra > 0)
            {
                throw fail($"{extra} bytes follow the data");
            }
        }
        return DataArray.Of(array, shape);
    }

    private static string Truncated(long got, int[] shape, StoredElement dtype, long needed) =>
        $"truncated: the data is {got} bytes, shape {PythonShape(shape)} of {dtype.Name} needs {needed}";

    /// <summary>The header's value, and the bytes read up to the data.</summary>
    private static (object? Value, int Bytes) ReadHeader(Stream stream, Func<string, Exception> fail)
    {
        Span<byte> preamble = stackalloc byte[12]; // magic, version, and a length of up to 4 bytes
        var got = ReadAtMost(stream, preamble[..8]);
        if (got == 0)
        {
            throw fail("empty: no .npy header");
        }
        if (!preamble[..Math.Min(got, 6)].SequenceEqual(Magic.AsSpan(0, Math.Min(got, 6))))
        {
            throw fail("not an .npy file (bad magic bytes)");
        }
        if (got < 8)
        {
            throw fail("truncated: the file ends inside the header");
        }
        int major = preamble[6], minor = preamble[7];
        var lengthBytes = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw fail($"unsupported .npy format version {major}.{minor}"),
        };
        if (ReadAtMost(stream, preamble.Slice(8, lengthBytes)) < lengthBytes)
        {
            throw fail("truncated: the file ends inside the header");
        }
        var length = lengthBytes == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (length > MaxHeaderLength)
        {
            throw fail($"header length {length} exceeds the limit of {MaxHeaderLength} bytes");
        }
        var headerBytes = new byte[length];
        if (ReadAtMost(stream, headerBytes) < length)
        {
            throw fail("truncated: the file ends inside the header");
        }
        string text;
        try
        {
            // Version 3.0 exists only to allow UTF-8 (in structured field names); 1.0 and 2.0 are Latin-1.
            text = major == 3 ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException)
        {
            throw fail("header is not valid UTF-8");
        }
        try
        {
            return (PythonLiteral.Parse(text), 8 + lengthBytes + (int)length);
        }
        catch (FormatException e)
        {
            throw fail($"header is not a Python dict literal ({e.Message})");
        }
    }

    private static (StoredElement DType, int[] Shape) Interpret(object? header, Func<string, Exception> fail)
    {
        if (header is not Dictionary<string, object?> dict)
        {
            throw fail("header is not a dict");
        }
        foreach (var key in new[] { "descr", "fortran_order", "shape" })
        {
            if (!dict.ContainsKey(key))
            {
                throw fail($"header lacks '{key}'");
            }
        }
        if (dict.Keys.FirstOrDefault(k => k is not ("descr" or "fortran_order" or "shape")) is { } unexpected)
        {
            throw fail($"header has unexpected key '{unexpected}'");
        }

        var dtype = DType(dict["descr"], fail);
        switch (dict["fortran_order"])
        {
            case false:
                break;
            case true:
                throw fail("fortran_order is True (column-major), which this reader does not take; save np.ascontiguousarray(a) instead");
            default:
                throw fail("fortran_order is not True or False");
        }

        if (dict["shape"] is not object?[] dims || dims.Any(d => d is not long n || n < 0 || n > int.MaxValue))
        {
            throw fail($"shape {Repr(dict["shape"])} is not a tuple of non-negative integers");
        }
        var shape = dims.Select(d => (int)(long)d!).ToArray();
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
            if (count > Array.MaxLength)
            {
                throw fail($"shape {PythonShape(shape)} has more elements than an array holds");
            }
        }
        return (dtype, shape);
    }

    private static StoredElement DType(object? descr, Func<string, Exception> fail)
    {
        if (descr is not string s || s.Length < 2)
        {
            throw fail($"unsupported dtype {Repr(descr)} (structured and object arrays are not supported; this reader takes {NpyDType.Names})");
        }
        var (order, body) = (s[0], s[1..]);
        // One-byte types have no byte order, whatever character numpy or another writer put.
        var key = body.EndsWith('1') ? "|" + body : order is '=' ? "<" + body : s;
        if (NpyDType.All.TryGetValue(key, out var dtype))
        {
            return dtype;
        }
        if (order == '>' && NpyDType.All.ContainsKey("<" + body))
        {
            throw fail($"dtype '{s}' is big-endian, which this reader does not take; save a.astype('<{body}') instead");
        }
        throw fail($"unsupported dtype '{s}' (this reader takes {NpyDType.Names})");
    }

    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/>, replacing it atomically.</summary>
    public static void Write(string path, DataArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        AtomicFile.Write(path, stream => Write(stream, array));
    }

    /// <summary>
    /// Writes <paramref name="array"/> as numpy's <c>np.save</c> does: format 1.0 (2.0 for a header
    /// over 64 KiB), float32 as <c>&lt;f4</c>, int32 as <c>&lt;i4</c>, bool as <c>|b1</c>.
    /// </summary>
    public static void Write(Stream stream, DataArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(".npy files are written on little-endian machines only");
        }
        var descr = array.Type switch
        {
            ElementType.F32 => "<f4",
            ElementType.I32 => "<i4",
            _ => "|b1",
        };
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {PythonShape([.. array.Shape])}, }}";
        var version = dict.Length + 1 + 10 + Alignment <= ushort.MaxValue ? 1 : 2;
        var preamble = version == 1 ? 10 : 12;
        var padded = (preamble + dict.Length + 1 + Alignment - 1) / Alignment * Alignment;
        var header = dict + new string(' ', padded - preamble - dict.Length - 1) + "\n";

        stream.Write(Magic);
        stream.Write([(byte)version, 0]);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        stream.Write(length[..(version == 1 ? 2 : 4)]);
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(array.AsBytes());
    }

    /// <summary>A shape as Python writes a tuple: <c>()</c>, <c>(3,)</c>, <c>(2, 3)</c>.</summary>
    internal static string PythonShape(IReadOnlyList<int> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    private static string Repr(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        object?[] items => items.Length == 1 ? $"({Repr(items[0])},)" : $"({string.Join(", ", items.Select(Repr))})",
        List<object?> items => $"[{string.Join(", ", items.Select(Repr))}]",
        Dictionary<string, object?> => "{...}",
        _ => value.ToString() ?? "",
    };

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    private static long CountRemaining(Stream stream)
    {
        if (stream.CanSeek)
        {
            return stream.Length - stream.Position;
        }
        Span<byte> sink = stackalloc byte[4096];
        long total = 0;
        for (int n; (n = stream.Read(sink)) > 0;)
        {
            total += n;
        }
        return total;
    }
}
