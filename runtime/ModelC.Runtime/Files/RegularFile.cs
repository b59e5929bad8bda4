using System.Runtime.InteropServices;

namespace ModelC.Runtime.Files;

/// <summary>
/// Tells regular files from devices, FIFOs, sockets and folders before a reader opens them:
/// <c>/dev/zero</c> never ends, and opening a FIFO blocks until someone writes to it, so both
/// must be refused by type rather than by what reading them does. On Linux the type comes from
/// <c>statx</c>; on other Unix systems from the .NET runtime's own portable <c>stat</c>
/// (<c>SystemNative_Stat</c> in <c>libSystem.Native</c>, which every .NET on Unix ships, with one
/// layout everywhere); on Windows, which has no FIFOs or devices at file paths, only folders are told apart.
/// </summary>
public static partial class RegularFile
{
    private const int AtCurrentDirectory = -100; // AT_FDCWD
    private const uint TypeMask = 1; // STATX_TYPE
    private const int StatxModeOffset = 28; // struct statx's stx_mode, the same on every Linux architecture
    private const int PortableModeOffset = 4; // FileStatus.Mode in libSystem.Native, after its int32 Flags
    private const int StatusSize = 256; // more than either structure

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
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }
        var mode = OperatingSystem.IsLinux() ? ModeFromStatx(path) : OperatingSystem.IsWindows() ? null : ModeFromRuntime(path);
        return mode is { } m ? KindOf(m) : null;
    }

    /// <summary>The file type bits of <paramref name="path"/> from <c>statx</c> (Linux), or null when it cannot be examined.</summary>
    internal static int? ModeFromStatx(string path)
    {
        Span<byte> buffer = stackalloc byte[StatusSize];
        return Statx(AtCurrentDirectory, path, 0, TypeMask, ref MemoryMarshal.GetReference(buffer)) == 0
            ? BitConverter.ToUInt16(buffer[StatxModeOffset..])
            : null;
    }

    /// <summary>The file type bits of <paramref name="path"/> from the .NET runtime's portable <c>stat</c>, or null when it cannot be examined.</summary>
    internal static int? ModeFromRuntime(string path)
    {
        Span<byte> buffer = stackalloc byte[StatusSize];
        try
        {
            return PortableStat(path, ref MemoryMarshal.GetReference(buffer)) == 0 ? BitConverter.ToInt32(buffer[PortableModeOffset..]) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A runtime without it: the reader opens the path as before.
            return null;
        }
    }

    // The POSIX file type bits, which Linux, macOS and the BSDs share.
    private static string? KindOf(int mode) => (mode & 0xF000) switch
    {
        0x8000 => null,
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO",
        0xC000 => "a socket",
        0x4000 => "a folder",
        _ => "a file of an unknown kind",
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PortableStat(string path, ref byte status);
}
