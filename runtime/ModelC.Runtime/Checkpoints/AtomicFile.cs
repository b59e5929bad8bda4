namespace ModelC.Runtime.Checkpoints;

/// <summary>
/// Replaces a file all at once: a reader, or a crash at any moment, sees either the old file
/// or the complete new one, never a half-written file. A training run that dies while saving
/// must not destroy the last good checkpoint.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>: into a temporary file
    /// beside it, flushed to disk, then renamed over <paramref name="path"/>. When
    /// <paramref name="write"/> or the disk fails, the temporary file is deleted, the exception
    /// propagates, and <paramref name="path"/> is as it was.
    /// </summary>
    public static void Write(string path, Action<Stream> write) => Write(path, write, wrap: null);

    /// <summary>As <see cref="Write(string, Action{Stream})"/>; tests wrap the stream to inject faults.</summary>
    internal static void Write(string path, Action<Stream> write, Func<Stream, Stream>? wrap)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        // Same directory, so the rename stays within one file system and is atomic.
        var temp = $"{full}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                var target = wrap?.Invoke(file) ?? file;
                write(target);
                target.Flush();
                // Data on disk before the rename: otherwise a power loss could leave the new
                // name pointing at a file whose blocks were never written.
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
