using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Checkpoints;

/// <summary>
/// Reads and writes checkpoints in the safetensors format: an 8-byte little-endian header
/// length N, N bytes of UTF-8 JSON naming each tensor's dtype, shape and byte range, then the
/// data section. The format PyTorch and most other frameworks exchange weights in.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>
    /// The <c>__metadata__</c> key under which <see cref="Write(string, IEnumerable{KeyValuePair{string, DataArray}}, IReadOnlyDictionary{string, string})"/> stores the CRC-32C of the data
    /// section (8 lowercase hex digits), which <see cref="Read(string)"/> verifies when present.
    /// </summary>
    public const string ChecksumKey = "modelc.crc32c";

    /// <summary>
    /// The <c>__metadata__</c> key under which the writer stores the CRC-32C of the other metadata
    /// entries (8 lowercase hex digits), which <see cref="Read(string)"/> verifies when present:
    /// metadata read back (a training history) is then covered like the data.
    /// </summary>
    public const string MetadataChecksumKey = "modelc.metadata.crc32c";

    /// <summary>The largest header read, as the reference implementation limits it.</summary>
    private const long MaxHeaderLength = 100_000_000;

    /// <summary>Bytes converted at a time for dtypes that are narrowed on reading.</summary>
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/>. Float64, float16 and bfloat16 tensors
    /// become float32 (float64 values beyond float32's range become infinities); int8, uint8,
    /// int16, uint16 and int64 become int32, refusing int64 values outside its range.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a valid safetensors file, holds an
    /// unsupported dtype or value, or fails its checksum.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static Checkpoint Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>
    /// As <see cref="Read(string)"/>, from <paramref name="stream"/>'s position to its end: a
    /// seekable stream is read in place, any other is first copied into memory. The stream stays open.
    /// </summary>
    /// <param name="stream">The checkpoint's bytes.</param>
    /// <param name="name">What messages call the stream (a file name, a URL).</param>
    /// <exception cref="CheckpointFormatException">The bytes are not a valid safetensors checkpoint, or fail their checksum.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static Checkpoint Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        RequireLittleEndian();
        if (!stream.CanSeek)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            return Read(copy, name);
        }
        try
        {
            return ReadOpen(name, stream);
        }
        catch (EndOfStreamException e)
        {
            // The header was checked against the length, so only a file shrinking under us gets here.
            throw new CheckpointFormatException(name, "file ended early (did it change while being read?)", e);
        }
    }

    private static Checkpoint ReadOpen(string path, Stream stream)
    {
        Exception Fail(string problem) => new CheckpointFormatException(path, problem);

        // Offsets count from where the checkpoint starts in the stream.
        var origin = stream.Position;
        var length = stream.Length - origin;
        if (length < 8)
        {
            throw Fail($"file is {length} bytes, too short for a safetensors header");
        }
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(length - 8))
        {
            throw Fail($"header length {headerLength} exceeds the file size ({length} bytes)");
        }
        if ((long)headerLength > MaxHeaderLength)
        {
            throw Fail($"header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes");
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLength;
        var header = SafetensorsHeader.Parse(headerBytes, length - dataStart, Fail);

        var arrays = new Dictionary<string, Array>(StringComparer.Ordinal);
        uint crc = 0;
        string? valueProblem = null;
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            // In data order, so the file is read front to back and the running CRC covers the
            // data section exactly (the header guarantees it has no gaps).
            foreach (var entry in header.Entries.OrderBy(e => e.Begin))
            {
                stream.Position = origin + dataStart + entry.Begin;
                var array = entry.DType.Allocate(entry.Count);
                string? problem;
                if (entry.DType.IsVerbatim)
                {
                    var bytes = DataArray.AsBytes(array);
                    stream.ReadExactly(bytes);
                    crc = Crc32C.Append(crc, bytes);
                    problem = entry.DType.CheckInPlace(bytes);
                }
                else
                {
                    problem = ReadConverted(stream, entry, array, chunk, ref crc);
                }
                if (problem is not null)
                {
                    valueProblem ??= $"tensor '{entry.Name}': {problem}";
                }
                arrays[entry.Name] = array;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        // Corruption is reported as such before any odd value it may have caused.
        if (header.Metadata.TryGetValue(ChecksumKey, out var stored))
        {
            if (stored.Length != 8 || !uint.TryParse(stored, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var expected))
            {
                throw Fail($"{ChecksumKey} '{stored}' is not 8 hex digits");
            }
            if (expected != crc)
            {
                throw Fail($"checksum mismatch: the file is corrupted (the data's CRC-32C is {crc:x8}, the header says {stored})");
            }
        }
        if (header.Metadata.TryGetValue(MetadataChecksumKey, out var storedMetadata))
        {
            if (storedMetadata.Length != 8 || !uint.TryParse(storedMetadata, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var expected))
            {
                throw Fail($"{MetadataChecksumKey} '{storedMetadata}' is not 8 hex digits");
            }
            var actual = MetadataChecksum(header.Metadata);
            if (expected != actual)
            {
                throw Fail($"checksum mismatch: the metadata is corrupted (its CRC-32C is {actual:x8}, the header says {storedMetadata})");
            }
        }
        if (valueProblem is not null)
        {
            throw Fail(valueProblem);
        }

        var tensors = new OrderedDictionary<string, DataArray>(StringComparer.Ordinal);
        foreach (var entry in header.Entries)
        {
            tensors.Add(entry.Name, DataArray.Of(arrays[entry.Name], [.. entry.Shape]));
        }
        return new Checkpoint(tensors, header.Metadata);
    }

    private static string? ReadConverted(Stream stream, SafetensorsEntry entry, Array array, byte[] chunk, ref uint crc)
    {
        string? problem = null;
        var size = entry.DType.Size;
        var perChunk = ChunkBytes / size;
        for (var first = 0; first < entry.Count; first += perChunk)
        {
            var span = chunk.AsSpan(0, Math.Min(perChunk, entry.Count - first) * size);
            stream.ReadExactly(span);
            crc = Crc32C.Append(crc, span);
            problem ??= entry.DType.Convert(span, array, first);
        }
        return problem;
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/>, in the order given, with
    /// <paramref name="metadata"/> and a CRC-32C of the data under <see cref="ChecksumKey"/>
    /// (replacing any such key in <paramref name="metadata"/>). The file is replaced atomically
    /// (see <see cref="AtomicFile"/>): on any failure the old file, if any, is left as it was.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or <c>__metadata__</c>.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, DataArray>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(path, tensors, metadata, wrap: null);

    /// <summary>
    /// As <see cref="Write(string, IEnumerable{KeyValuePair{string, DataArray}}, IReadOnlyDictionary{string, string})"/>,
    /// to <paramref name="destination"/> at its position; atomicity is then the caller's. The stream stays open.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or <c>__metadata__</c>.</exception>
    public static void Write(Stream destination, IEnumerable<KeyValuePair<string, DataArray>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Prepare(tensors, metadata)(destination);
    }

    /// <summary>As the public overload; tests wrap the output stream to inject faults.</summary>
    internal static void Write(string path, IEnumerable<KeyValuePair<string, DataArray>> tensors, IReadOnlyDictionary<string, string>? metadata, Func<Stream, Stream>? wrap) =>
        AtomicFile.Write(path, Prepare(tensors, metadata), wrap);

    // Checks the tensors and builds the header, before anything is written; returns the writer of the bytes.
    private static Action<Stream> Prepare(IEnumerable<KeyValuePair<string, DataArray>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        RequireLittleEndian();
        ArgumentNullException.ThrowIfNull(tensors);
        // The header gives every offset and the checksum, so all tensors are known before a byte is written.
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, array) in list)
        {
            ArgumentNullException.ThrowIfNull(array, $"tensor '{name}'");
            if (string.IsNullOrEmpty(name) || name == SafetensorsHeader.MetadataKey || !names.Add(name))
            {
                throw new ArgumentException($"tensor name '{name}' is empty, reserved or repeated", nameof(tensors));
            }
        }

        uint crc = 0;
        foreach (var (_, array) in list)
        {
            crc = Crc32C.Append(crc, array.AsBytes());
        }
        var header = SafetensorsHeaderWriter.Build(list, metadata, crc, MetadataChecksum(metadata ?? new Dictionary<string, string>()));
        return stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var (_, array) in list)
            {
                stream.Write(array.AsBytes());
            }
        };
    }

    /// <summary>
    /// The CRC-32C of the metadata entries but the two checksums, in order, each key and value as
    /// its UTF-8 bytes after their 4-byte length (so no two different entry lists encode alike).
    /// </summary>
    internal static uint MetadataChecksum(IEnumerable<KeyValuePair<string, string>> metadata)
    {
        uint crc = 0;
        Span<byte> length = stackalloc byte[4];
        foreach (var (key, value) in metadata)
        {
            if (key is ChecksumKey or MetadataChecksumKey)
            {
                continue;
            }
            foreach (var text in new[] { key, value })
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
                crc = Crc32C.Append(Crc32C.Append(crc, length), bytes);
            }
        }
        return crc;
    }

    private static void RequireLittleEndian()
    {
        // Arrays are copied to and from the file as they lie in memory.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors files are read and written on little-endian machines only");
        }
    }
}
