using System.Security.Cryptography;

namespace ModelC.Runtime.Packaging;

/// <summary>
/// Where embedded kernel libraries are written so that the operating system can load them: one
/// folder per content hash under <c>$MODELC_CACHE</c>, else <c>$XDG_CACHE_HOME/modelc/kernels</c>,
/// else <c>~/.cache/modelc/kernels</c>. Processes that start at once each write a private
/// temporary copy and rename it into place; a rename is atomic, so a library at its final path is
/// always complete, and a file found there is used only if its hash matches.
/// </summary>
public static class KernelCache
{
    /// <summary>The cache's root folder.</summary>
    public static string Root { get; } = DefaultRoot();

    /// <summary>
    /// The path of a file holding <paramref name="library"/>, named <paramref name="fileName"/>
    /// in the folder of its hash under <paramref name="root"/> (default: <see cref="Root"/>).
    /// </summary>
    /// <exception cref="IOException">The cache cannot be written.</exception>
    public static string Extract(byte[] library, string fileName, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var hash = Convert.ToHexStringLower(SHA256.HashData(library));
        var folder = Path.Combine(root ?? Root, hash);
        var path = Path.Combine(folder, fileName);
        if (Holds(path, hash))
        {
            return path;
        }
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(library);
                file.Flush(flushToDisk: true);
            }
            // Replacing a same-hash file another process just wrote is harmless: the bytes are
            // equal, and a process that already loaded the old file keeps its mapping.
            File.Move(temp, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static bool Holds(string path, string hash)
    {
        try
        {
            return File.Exists(path) && Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) == hash;
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

    private static string DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("MODELC_CACHE") is { Length: > 0 } configured)
        {
            return configured;
        }
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : home.Length > 0 ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(cache, "modelc", "kernels");
    }
}
