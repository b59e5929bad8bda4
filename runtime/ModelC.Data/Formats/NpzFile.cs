using System.Collections.ObjectModel;
using System.IO.Compression;
using ModelC.Runtime.Data;

namespace ModelC.Data.Formats;

/// <summary>
/// Reads numpy's .npz archives (<c>np.savez</c>, stored, and <c>np.savez_compressed</c>,
/// deflated): a zip file of .npy files, one per array, named after the array.
/// </summary>
public static class NpzFile
{
    /// <summary>
    /// Reads every array in the archive at <paramref name="path"/>, by name (the entry's name
    /// without <c>.npy</c>), in archive order.
    /// </summary>
    /// <exception cref="DataFormatException">The path is not a regular file, the file is not a zip archive, holds an entry that is
    /// not an .npy file or fails its CRC-32, or an array this reader does not take.</exception>
    public static IReadOnlyDictionary<string, DataArray> Read(string path)
    {
        DataPath.RequireRegularFile(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(file, path);
    }

    /// <summary>As <see cref="Read(string)"/>, from an archive in <paramref name="stream"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="DataFormatException">As for <see cref="Read(string)"/>.</exception>
    public static IReadOnlyDictionary<string, DataArray> Read(Stream stream, string path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive archive;
        IReadOnlyList<ZipArchiveEntry> entries;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            // The central directory is read on first use of Entries, so its errors surface here too.
            entries = archive.Entries;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"not a valid zip archive ({e.Message})", e);
        }
        using (archive)
        {
            var arrays = new OrderedDictionary<string, DataArray>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (entry.FullName.EndsWith('/'))
                {
                    continue; // a directory entry, which numpy never writes but other zip tools do
                }
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal))
                {
                    throw new DataFormatException(path, $"entry '{entry.FullName}' is not an .npy file");
                }
                var name = entry.FullName[..^".npy".Length];
                if (arrays.ContainsKey(name))
                {
                    throw new DataFormatException(path, $"array '{name}' appears twice");
                }
                arrays.Add(name, ReadEntry(path, name, entry));
            }
            return new ReadOnlyDictionary<string, DataArray>(arrays);
        }
    }

    private static DataArray ReadEntry(string path, string name, ZipArchiveEntry entry)
    {
        try
        {
            using var stream = new ChecksummingStream(entry.Open());
            DataArray array;
            try
            {
                array = NpyFile.Read(stream, problem => new DataFormatException(path, $"array '{name}': {problem}"), toEnd: true, MaxSize(entry));
            }
            catch (DataFormatException)
            {
                // A flipped bit often breaks the header first: corruption is named as such.
                stream.Drain();
                CheckCrc(path, entry, stream.Crc);
                throw;
            }
            CheckCrc(path, entry, stream.Crc);
            return array;
        }
        catch (InvalidDataException e)
        {
            // Corrupt compressed data.
            throw new DataFormatException(path, $"array '{name}': the archive entry is corrupt ({e.Message})", e);
        }
    }

    /// <summary>
    /// The most bytes the entry can give: its recorded size, and for a deflated entry no more
    /// than deflate's largest expansion (1032:1) of its compressed size, so that a lying size
    /// cannot make the reader allocate more than the file could hold.
    /// </summary>
    private static long MaxSize(ZipArchiveEntry entry) =>
        entry.CompressedLength == entry.Length ? entry.Length : Math.Min(entry.Length, entry.CompressedLength * 1032 + 1024);

    private static void CheckCrc(string path, ZipArchiveEntry entry, uint crc)
    {
        if (crc != entry.Crc32)
        {
            throw new DataFormatException(path,
                $"entry '{entry.FullName}' is corrupted: its CRC-32 is {crc:x8}, the archive records {entry.Crc32:x8}");
        }
    }
}
