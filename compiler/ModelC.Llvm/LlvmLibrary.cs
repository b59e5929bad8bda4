using System.Reflection;
using System.Runtime.InteropServices;

namespace ModelC.Llvm;

/// <summary>
/// Finds and loads the LLVM shared library at run time. The bindings import from the logical
/// name <c>"LLVM"</c>; this class resolves it to the first library found: the path in the
/// <c>MODELC_LLVM</c> environment variable if set, else the newest of LLVM 19 down to 15 under
/// the names Debian and Ubuntu install.
/// </summary>
public static class LlvmLibrary
{
    /// <summary>The environment variable that names the libLLVM file to use.</summary>
    public const string EnvironmentVariable = "MODELC_LLVM";

    /// <summary>The oldest and newest supported major versions.</summary>
    public const int MinimumVersion = 15, MaximumVersion = 19;

    private static readonly Lazy<(nint Handle, string Path)> Loaded =
        new(() => Load(System.Environment.GetEnvironmentVariable(EnvironmentVariable), Candidates()));

    static LlvmLibrary() =>
        NativeLibrary.SetDllImportResolver(typeof(LlvmLibrary).Assembly, Resolve);

    /// <summary>The file the bindings use; throws <see cref="LlvmNotFoundException"/> if none is found.</summary>
    public static string Path => Loaded.Value.Path;

    /// <summary>The major version of the LLVM in use (minor and patch are known from LLVM 16 on).</summary>
    public static int MajorVersion => (int)VersionOf(Loaded.Value.Handle)!.Value.Major;

    /// <summary>The handle of the loaded library, for the exports the bindings do not declare.</summary>
    internal static nint Handle => Loaded.Value.Handle;

    /// <summary>Makes sure the resolver is registered (its work is done by the static constructor).</summary>
    internal static void RegisterResolver()
    {
    }

    /// <summary>Loads the library now (it is otherwise loaded on the first LLVM call).</summary>
    public static void EnsureLoaded() => _ = Loaded.Value;

    /// <summary>The file names tried, in order, when <see cref="EnvironmentVariable"/> is not set.</summary>
    public static IEnumerable<string> Candidates()
    {
        for (var version = MaximumVersion; version >= MinimumVersion; version--)
        {
            yield return $"libLLVM.so.{version}.1";
            yield return $"libLLVM-{version}.so.1";
            yield return $"libLLVM-{version}.so";
            yield return $"/usr/lib/llvm-{version}/lib/libLLVM.so.1";
            yield return $"/usr/lib/llvm-{version}/lib/libLLVM-{version}.so";
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Interop.LLVM.LibraryName ? Loaded.Value.Handle : 0;

    /// <summary>
    /// Loads the <paramref name="configured"/> file if given, else the first candidate that loads;
    /// throws <see cref="LlvmNotFoundException"/> saying what to do when that fails.
    /// </summary>
    internal static (nint Handle, string Path) Load(string? configured, IEnumerable<string> candidates)
    {
        if (configured is { Length: > 0 } given)
        {
            if (!NativeLibrary.TryLoad(given, out var handle))
            {
                throw new LlvmNotFoundException($"{EnvironmentVariable} names '{given}', which cannot be loaded as a shared library.");
            }
            return (Checked(handle, given), given);
        }
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return (Checked(handle, candidate), candidate);
            }
        }
        throw new LlvmNotFoundException(
            $"no LLVM {MinimumVersion}–{MaximumVersion} shared library was found. Install one, e.g. "
            + $"'apt-get install libllvm{MaximumVersion}' (Debian/Ubuntu), or set {EnvironmentVariable} to the path of libLLVM-N.so.");
    }

    // A file that loads but is not LLVM, or is a version outside 15–19, is refused by name.
    private static nint Checked(nint handle, string path)
    {
        var version = VersionOf(handle);
        if (version is not { } v || v.Major < MinimumVersion || v.Major > MaximumVersion)
        {
            NativeLibrary.Free(handle);
            var what = version is { } known ? $"LLVM {known.Major}.{known.Minor}.{known.Patch}" : "not LLVM 15 or newer";
            throw new LlvmNotFoundException($"'{path}' is {what}; ModelC needs LLVM {MinimumVersion}–{MaximumVersion}.");
        }
        return handle;
    }

    // LLVMGetVersion exists from LLVM 16; LLVM 15 is recognised by LLVMPointerTypeInContext,
    // which it introduced (with opaque pointers) and LLVM 14 lacks.
    private static unsafe (uint Major, uint Minor, uint Patch)? VersionOf(nint handle)
    {
        if (NativeLibrary.TryGetExport(handle, "LLVMGetVersion", out var getVersion))
        {
            uint major, minor, patch;
            ((delegate* unmanaged<uint*, uint*, uint*, void>)getVersion)(&major, &minor, &patch);
            return (major, minor, patch);
        }
        return NativeLibrary.TryGetExport(handle, "LLVMPointerTypeInContext", out _) ? (15u, 0u, 0u) : null;
    }
}
