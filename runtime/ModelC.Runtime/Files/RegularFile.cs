using System.Runtime.InteropServices;

namespace ModelC.Runtime.Files;

/// <summary>
/// Tells regular files from devices, FIFOs, sockets and folders before a reader opens them:
/// <c>/dev/zero</c> never ends, and opening a FIFO blocks until someone writes to it, so both
/// must be refused by type rather than by what reading them does.
/// </summary>
public static partial class RegularFile
{
    private const int AtCurrentDirectory = -100; // AT_FDCWD
    private const uint TypeMask = 1; // STATX_TYPE
    private const int ModeOffset = 28; // struct statx's stx_mode, the same on every Linux architecture
    private const int StatxSize = 256;

    /// <summary>
    /// Why <paramref name="path"/> is not to be read as a file, e.g. "it is a character device,
    /// not a regular file" (symbolic links are followed); null for a regular file, and for a path
    /// that does not exist or cannot be examined (opening it reports that).
    /// </summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Kind(path) is { } kind ? $"it is {kind}, not a regular file" : null;
    }

    private static string? Kind(string path)
    {
        if (Directory.Exists(path))
        {
            return "a folder";
        }
        if (!OperatingSystem.IsLinux() || path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtCurrentDirectory, path, 0, TypeMask, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }
        var mode = BitConverter.ToUInt16(buffer[ModeOffset..]);
        return (mode & 0xF000) switch
        {
            0x8000 => null,
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x1000 => "a FIFO",
            0xC000 => "a socket",
            0x4000 => "a folder",
            _ => "a file of an unknown kind",
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
