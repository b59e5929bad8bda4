using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;

namespace ModelC.Runtime.Packaging;

/// <summary>
/// Where embedded kernel libraries are written so that the operating system can load them: one
/// folder per content hash under <c>kernels/</c> of the <see cref="CacheFolder"/>. Processes that
/// start at once each write a private temporary copy and rename it into place
/// (<see cref="AtomicFile"/>); a rename is atomic, so a library at its final path is always
/// complete, and a file found there is used only if its hash matches.
/// </summary>
public static class KernelCache
{
    /// <summary>The cache's root folder.</summary>
    public static string Root => Path.Combine(CacheFolder.Root, "kernels");

    /// <summary>
    /// The path of a file holding <paramref name="library"/>, named <paramref name="fileName"/>
    /// in the folder of its hash under <paramref name="root"/> (default: <see cref="Root"/>).
    /// </summary>
    /// <exception cref="IOException">The cache cannot be written.</exception>
    public static string Extract(byte[] library, string fileName, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var hash = ModelArtifact.HashOf(library);
        var folder = Path.Combine(root ?? Root, hash);
        var path = Path.Combine(folder, fileName);
        if (Holds(path, hash))
        {
            return path;
        }
        Directory.CreateDirectory(folder);
        // Replacing a same-hash file another process just wrote is harmless: the bytes are
        // equal, and a process that already loaded the old file keeps its mapping.
        AtomicFile.Write(path, stream => stream.Write(library));
        return path;
    }

    private static bool Holds(string path, string hash)
    {
        try
        {
            return File.Exists(path) && ModelArtifact.HashOf(File.ReadAllBytes(path)) == hash;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
