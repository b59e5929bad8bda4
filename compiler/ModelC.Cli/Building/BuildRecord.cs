using System.Text;

namespace ModelC.Cli.Building;

/// <summary>
/// What a successful <c>modelc build</c> did, as the <see cref="BuildCache"/> keeps it: the
/// source files it read (each with the hash of the text the compiler read), what it printed, and
/// the files it wrote.
/// </summary>
/// <param name="Sources">The source files read: the root file and its imports.</param>
/// <param name="Output">Standard output, in pieces.</param>
/// <param name="Error">Standard error (warnings).</param>
/// <param name="StagedFiles">Files written into the output folder's new version, by file name.</param>
/// <param name="Files">Files written elsewhere, by full path (<c>--emit source</c>, <c>--deps</c>).</param>
internal sealed record BuildRecord(
    IReadOnlyList<SourceHash> Sources, IReadOnlyList<OutputPiece> Output, string Error, IReadOnlyList<RecordedFile> StagedFiles, IReadOnlyList<RecordedFile> Files)
{
    // Longer than any length an entry this process could have written; a count past it is damage.
    private const int LargestCount = 1 << 20;

    /// <summary>The bytes of the record.</summary>
    public byte[] Serialize()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Sources.Count);
            foreach (var source in Sources)
            {
                writer.Write(source.Path);
                writer.Write(source.Sha256);
            }
            writer.Write(Output.Count);
            foreach (var piece in Output)
            {
                writer.Write(piece.Text);
                writer.Write(piece.Compile is not null);
                if (piece.Compile is { } compile)
                {
                    writer.Write(compile.Kernels);
                    writer.Write(compile.Unique);
                }
            }
            writer.Write(Error);
            foreach (var files in new[] { StagedFiles, Files })
            {
                writer.Write(files.Count);
                foreach (var file in files)
                {
                    writer.Write(file.Name);
                    writer.Write(file.Bytes.Length);
                    writer.Write(file.Bytes);
                }
            }
        }
        return stream.ToArray();
    }

    /// <summary>The record in <paramref name="bytes"/>, or null when they are not one (the cache's checks passed, but the layout is not this version's).</summary>
    public static BuildRecord? TryDeserialize(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            var sources = ReadList(reader, r => new SourceHash(r.ReadString(), r.ReadString()));
            var output = ReadList(reader, r => new OutputPiece(r.ReadString(), r.ReadBoolean() ? (r.ReadInt32(), r.ReadInt32()) : null));
            var error = reader.ReadString();
            var staged = ReadList(reader, ReadFile);
            var files = ReadList(reader, ReadFile);
            return reader.BaseStream.Position == bytes.Length ? new BuildRecord(sources, output, error, staged, files) : null;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or InvalidDataException)
        {
            return null;
        }
    }

    private static RecordedFile ReadFile(BinaryReader reader)
    {
        var name = reader.ReadString();
        var length = reader.ReadInt32();
        var bytes = reader.ReadBytes(length is >= 0 ? length : throw new InvalidDataException("negative length"));
        return bytes.Length == length ? new RecordedFile(name, bytes) : throw new EndOfStreamException();
    }

    private static List<T> ReadList<T>(BinaryReader reader, Func<BinaryReader, T> read)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > LargestCount)
        {
            throw new InvalidDataException($"count {count}");
        }
        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(read(reader));
        }
        return list;
    }
}
