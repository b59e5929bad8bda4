using ModelC.Runtime.Files;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>
/// The files <c>modelc build -o DIR</c> writes per model — <c>DIR/libNAME.so</c> and
/// <c>DIR/NAME.manifest.json</c> — and loading them back with no compiler in the process.
/// A build publishes the whole folder as one version: the files live in
/// <c>DIR/.builds/VERSION/</c>, the link <c>DIR/.build</c> names the current version and is
/// replaced in one rename, and <c>DIR/NAME</c> are links through it. A reader pins the version
/// once (<see cref="Pin"/>) and reads every file from it, so it sees the old build or the new one,
/// never a manifest of one and a library of the other.
/// </summary>
public static class ModelArtifact
{
    private const string ManifestSuffix = ".manifest.json";

    /// <summary>The link, in an output folder, to its current version's folder.</summary>
    public const string CurrentVersionLink = ".build";

    /// <summary>The folder, in an output folder, that holds its versions.</summary>
    public const string VersionsFolder = ".builds";

    // A reader that pinned a version may find it pruned by later builds; it pins the new one.
    private const int LoadAttempts = 4;

    /// <summary>
    /// The folder the files of <paramref name="directory"/> are read from: its current version,
    /// resolved once; the folder itself when it has no versions (written by hand, or by an older modelc).
    /// </summary>
    public static string Pin(string directory)
    {
        var link = new FileInfo(Path.Combine(directory, CurrentVersionLink));
        return link.LinkTarget is null ? directory : link.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? directory;
    }

    /// <summary>The shared library of model <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static string LibraryPath(string directory, string name) => Path.Combine(directory, $"lib{name}.so");

    /// <summary>The shared library of model <paramref name="name"/>'s build for <paramref name="cpu"/> (a <see cref="CpuVariant"/>) in <paramref name="directory"/>.</summary>
    public static string LibraryPath(string directory, string name, string cpu) => Path.Combine(directory, $"lib{name}.{cpu}.so");

    /// <summary>The GPU kernel assembly of model <paramref name="name"/> in <paramref name="directory"/> (<see cref="ModelManifest.Gpu"/>).</summary>
    public static string GpuKernelsPath(string directory, string name) => Path.Combine(directory, $"{name}.kernels.dll");

    /// <summary>The manifest of model <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static string ManifestPath(string directory, string name) => Path.Combine(directory, name + ManifestSuffix);

    /// <summary>The names of the models built into <paramref name="directory"/> (its current version).</summary>
    public static IReadOnlyList<string> ModelsIn(string directory)
    {
        var folder = Directory.Exists(directory) ? Pin(directory) : directory;
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*" + ManifestSuffix).Select(p => Path.GetFileName(p)[..^ManifestSuffix.Length]).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The SHA-256 of a library's bytes as the manifest records it (<see cref="ModelManifest.LibrarySha256"/>).</summary>
    public static string HashOf(ReadOnlySpan<byte> library) => Convert.ToHexStringLower(Sha256.Of(library));

    /// <summary>
    /// Loads a built model's manifest and code, after checking that the library is the one the
    /// manifest was built with (<see cref="ModelManifest.LibrarySha256"/>) and the manifest the one
    /// the library was built with (<see cref="ManifestHash"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The directory has no such model.</exception>
    /// <exception cref="InvalidDataException">
    /// The manifest is malformed, from another format version or inconsistent, or the library is not the one it was built with.
    /// </exception>
    /// <exception cref="InvalidOperationException">The library cannot be loaded, or its code needs CPU features this processor lacks.</exception>
    public static (ModelManifest Manifest, SharedLibraryKernels Kernels) Load(string directory, string name) => Load(directory, name, null);

    /// <summary>
    /// Loads a built model as <see cref="Load(string, string)"/> does, choosing among its builds for
    /// several CPUs (<see cref="ModelManifest.Variants"/>) by <paramref name="isSupported"/> (null:
    /// this CPU's features); the manifest returned is the chosen build's.
    /// </summary>
    /// <exception cref="FileNotFoundException">The directory has no such model.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed or inconsistent, or the chosen library is not the one it was built with.</exception>
    /// <exception cref="InvalidOperationException">The library cannot be loaded, or no build's code runs on a CPU with these features.</exception>
    public static (ModelManifest Manifest, SharedLibraryKernels Kernels) Load(string directory, string name, Func<string, bool>? isSupported) =>
        FromOneVersion(directory, version => LoadVersion(directory, version, name, isSupported));

    /// <summary>
    /// A built model's GPU build (<see cref="ModelManifest.Gpu"/>): its manifest and the bytes of its
    /// kernel assembly, after checking them against the SHA-256 the manifest records. This runtime
    /// cannot run them; the GPU runtime loads the assembly (and checks the manifest hash it carries).
    /// </summary>
    /// <exception cref="FileNotFoundException">The directory has no such model.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed or inconsistent, or the assembly is not the one it was built with.</exception>
    /// <exception cref="InvalidOperationException">The model was built without GPU kernels.</exception>
    public static (ModelManifest Manifest, byte[] Image) LoadGpuKernels(string directory, string name) =>
        FromOneVersion(directory, version =>
        {
            var manifest = ManifestOf(directory, version, name);
            var gpu = manifest.Gpu ?? throw new InvalidOperationException(
                $"model '{name}' in '{directory}' was built without GPU kernels: build it with --device ilgpu-cpu, cuda or auto to run it on a GPU device");
            var path = Path.Combine(version, gpu.Library);
            return (gpu.Manifest, CheckedBytes(gpu.Manifest, path));
        });

    // Reads from one pinned version; a version pruned meanwhile by later builds is read again from the new one.
    private static T FromOneVersion<T>(string directory, Func<string, T> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            var version = Pin(directory);
            try
            {
                return read(version);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && attempt < LoadAttempts && Pin(directory) != version)
            {
            }
        }
    }

    private static ModelManifest ManifestOf(string directory, string version, string name)
    {
        var manifestPath = ManifestPath(version, name);
        if (!File.Exists(manifestPath))
        {
            var built = ModelsIn(directory);
            throw new FileNotFoundException(
                $"no model '{name}' built in '{directory}'" + (built.Count == 0 ? "" : $" (it has: {string.Join(", ", built)})"), manifestPath);
        }
        return ManifestFile.Load(manifestPath);
    }

    // The model from one version of the folder (the folder itself when it has none).
    private static (ModelManifest Manifest, SharedLibraryKernels Kernels) LoadVersion(string directory, string version, string name, Func<string, bool>? isSupported)
    {
        var (manifest, library) = CpuVariants.Choose(ManifestOf(directory, version, name), Path.GetFileName(LibraryPath(version, name)), isSupported);
        var libraryPath = Path.Combine(version, library);
        CheckFile(manifest, libraryPath);
        var kernels = new SharedLibraryKernels(libraryPath);
        try
        {
            CheckExports(manifest, kernels, libraryPath);
            ManifestHash.Check(manifest, kernels, libraryPath);
        }
        catch
        {
            kernels.Dispose();
            throw;
        }
        return (manifest, kernels);
    }

    // The file's bytes, once they are known to be the ones the manifest was built with: a truncated
    // library faults inside the dynamic loader and a swapped one runs other code; neither may reach it.
    private static byte[] CheckedBytes(ModelManifest manifest, string libraryPath)
    {
        var bytes = File.ReadAllBytes(Existing(libraryPath));
        CheckLibraryHash(manifest, bytes, $"'{libraryPath}'");
        return bytes;
    }

    // As CheckedBytes, reading the file in pieces: the loader maps the library itself, and a copy of
    // it on the managed heap would only raise the process's peak memory.
    private static void CheckFile(ModelManifest manifest, string libraryPath) =>
        CheckHash(manifest, Convert.ToHexStringLower(Sha256.OfFile(Existing(libraryPath))), $"'{libraryPath}'");

    private static string Existing(string libraryPath) =>
        File.Exists(libraryPath) ? libraryPath : throw new FileNotFoundException($"no compiled model at '{libraryPath}'", libraryPath);

    /// <summary>Checks that <paramref name="library"/> (<paramref name="what"/>, in the error) is the code <paramref name="manifest"/> was built with (<see cref="ModelManifest.LibrarySha256"/>).</summary>
    /// <exception cref="InvalidDataException">The manifest records no hash, or another one.</exception>
    internal static void CheckLibraryHash(ModelManifest manifest, ReadOnlySpan<byte> library, string what) =>
        CheckHash(manifest, HashOf(library), what);

    private static void CheckHash(ModelManifest manifest, string actual, string what)
    {
        if (manifest.LibrarySha256 is not { } expected)
        {
            throw new InvalidDataException("manifest field 'librarySha256': it is missing; rebuild the model with this version's modelc");
        }
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"manifest field 'librarySha256': {what} has SHA-256 {actual}, not the manifest's {expected}; the library is damaged or from another build");
        }
    }

    // Also before any native call: an edited manifest may name kernels the library does not export.
    private static void CheckExports(ModelManifest manifest, SharedLibraryKernels kernels, string libraryPath)
    {
        for (var k = 0; k < manifest.Kernels.Length; k++)
        {
            var symbol = manifest.Kernels[k].Symbol;
            foreach (var export in new[] { symbol, symbol + CpuCallingConvention.ExtentSuffix })
            {
                if (!kernels.Exports(export))
                {
                    throw new InvalidDataException(
                        $"manifest field 'kernels[{k}].symbol': '{libraryPath}' exports no '{export}'; the manifest names a kernel its library lacks");
                }
            }
        }
    }
}
