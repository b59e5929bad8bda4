using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>
/// The files <c>modelc build -o DIR</c> writes per model — <c>DIR/libNAME.so</c> and
/// <c>DIR/NAME.manifest.json</c> — and loading them back with no compiler in the process.
/// </summary>
public static class ModelArtifact
{
    private const string ManifestSuffix = ".manifest.json";

    /// <summary>The shared library of model <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static string LibraryPath(string directory, string name) => Path.Combine(directory, $"lib{name}.so");

    /// <summary>The manifest of model <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static string ManifestPath(string directory, string name) => Path.Combine(directory, name + ManifestSuffix);

    /// <summary>The names of the models built into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> ModelsIn(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*" + ManifestSuffix).Select(p => Path.GetFileName(p)[..^ManifestSuffix.Length]).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Loads a built model's manifest and code.</summary>
    /// <exception cref="FileNotFoundException">The directory has no such model.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed or from another format version.</exception>
    public static (ModelManifest Manifest, SharedLibraryKernels Kernels) Load(string directory, string name)
    {
        var manifestPath = ManifestPath(directory, name);
        if (!File.Exists(manifestPath))
        {
            var built = ModelsIn(directory);
            throw new FileNotFoundException(
                $"no model '{name}' built in '{directory}'" + (built.Count == 0 ? "" : $" (it has: {string.Join(", ", built)})"), manifestPath);
        }
        var manifest = ManifestFile.Load(manifestPath);
        return (manifest, new SharedLibraryKernels(LibraryPath(directory, name)));
    }
}
