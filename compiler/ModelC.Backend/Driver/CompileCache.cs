using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Packaging;

namespace ModelC.Backend.Driver;

/// <summary>
/// The persistent code cache, under <c>objects/</c> of ModelC's <see cref="CacheFolder"/> by
/// default: one file per <see cref="KernelKey"/> holding a kernel's object code, and one per
/// <see cref="LibraryKey"/> holding a linked library (so that a warm build does not link again), and
/// one per <see cref="BuildKey"/> holding a whole build's outputs (so that a warm build does not
/// even parse).
/// An entry is a header (format tag, the key, the length and the SHA-256 of the code) followed by
/// the code; an entry whose header or hash does not match — a torn copy, a damaged disk, a file of
/// another key — is a miss, and the recompiled code replaces it. Entries are written to a private temporary file and renamed
/// into place (<see cref="AtomicFile"/>), so concurrent writers are safe: equal keys mean equal
/// bytes, and a reader sees a whole entry or none. Set <c>MODELC_NO_CACHE=1</c> to compile
/// without it.
/// </summary>
public sealed class CompileCache
{
    /// <summary>The environment variable that turns the default cache off (any value but empty or 0).</summary>
    public const string DisableVariable = "MODELC_NO_CACHE";

    private static readonly byte[] Magic = "modelc-object-1\n"u8.ToArray();
    private const int KeyLength = 64;
    private const int HeaderLength = 16 + KeyLength + sizeof(long) + 32;

    private static readonly Lazy<CompileCache?> DefaultCache = new(() =>
        Environment.GetEnvironmentVariable(DisableVariable) is { Length: > 0 } off && off != "0"
            ? null
            : new CompileCache(Path.Combine(CacheFolder.Root, "objects")));

    /// <summary>A cache in <paramref name="folder"/> (created when the first entry is written).</summary>
    public CompileCache(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The user's cache, or null when <see cref="DisableVariable"/> turns it off.</summary>
    public static CompileCache? Default => DefaultCache.Value;

    /// <summary>The folder holding the entries.</summary>
    public string Folder { get; }

    /// <summary>The file of <paramref name="key"/>'s entry.</summary>
    public string PathOf(KernelKey key) => PathOf(key.Hex, ".o");

    /// <summary>The file of <paramref name="key"/>'s entry.</summary>
    public string PathOf(LibraryKey key) => PathOf(key.Hex, ".so");

    /// <summary>The file of <paramref name="key"/>'s entry.</summary>
    public string PathOf(BuildKey key) => PathOf(key.Hex, ".build");

    /// <summary>The object code cached under <paramref name="key"/>, or null when there is no sound entry.</summary>
    public byte[]? TryRead(KernelKey key) => TryRead(key.Hex, PathOf(key));

    /// <summary>The library cached under <paramref name="key"/>, or null when there is no sound entry.</summary>
    public byte[]? TryRead(LibraryKey key) => TryRead(key.Hex, PathOf(key));

    /// <summary>The build outputs cached under <paramref name="key"/>, or null when there is no sound entry.</summary>
    public byte[]? TryRead(BuildKey key) => TryRead(key.Hex, PathOf(key));

    /// <summary>
    /// Stores <paramref name="code"/> under <paramref name="key"/>. A cache that cannot be written
    /// (read-only, full) is left as it is: the code was compiled, and the next run compiles it again.
    /// </summary>
    /// <returns>Whether the entry was written.</returns>
    public bool Write(KernelKey key, byte[] code) => Write(key.Hex, PathOf(key), code);

    /// <summary>Stores a linked library under <paramref name="key"/>, as <see cref="Write(KernelKey, byte[])"/> does.</summary>
    /// <returns>Whether the entry was written.</returns>
    public bool Write(LibraryKey key, byte[] library) => Write(key.Hex, PathOf(key), library);

    /// <summary>Stores a build's outputs under <paramref name="key"/>, as <see cref="Write(KernelKey, byte[])"/> does.</summary>
    /// <returns>Whether the entry was written.</returns>
    public bool Write(BuildKey key, byte[] outputs) => Write(key.Hex, PathOf(key), outputs);

    private string PathOf(string hex, string extension) => Path.Combine(Folder, hex[..2], hex + extension);

    private static byte[]? TryRead(string hex, string path)
    {
        byte[] entry;
        try
        {
            entry = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (entry.Length < HeaderLength
            || !entry.AsSpan(0, Magic.Length).SequenceEqual(Magic)
            || !entry.AsSpan(Magic.Length, KeyLength).SequenceEqual(Encoding.ASCII.GetBytes(hex))
            || BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(Magic.Length + KeyLength)) != entry.Length - HeaderLength)
        {
            return null;
        }
        var code = entry[HeaderLength..];
        return SHA256.HashData(code).AsSpan().SequenceEqual(entry.AsSpan(HeaderLength - 32, 32)) ? code : null;
    }

    private static bool Write(string hex, string path, byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var entry = new byte[HeaderLength + code.Length];
        Magic.CopyTo(entry, 0);
        Encoding.ASCII.GetBytes(hex).CopyTo(entry, Magic.Length);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(Magic.Length + KeyLength), code.Length);
        SHA256.HashData(code).CopyTo(entry, HeaderLength - 32);
        code.CopyTo(entry, HeaderLength);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, stream => stream.Write(entry));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
