using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Backend.Artifacts;

/// <summary>
/// Writes a compiled program — its library and manifest — into a directory. Both are written
/// under temporary names and renamed into place, so a failed or interrupted build never leaves a
/// library and manifest that do not belong together.
/// </summary>
public static class ArtifactWriter
{
    /// <summary>
    /// Writes a compiled program of model <paramref name="name"/> into <paramref name="directory"/>,
    /// with a library per CPU variant (<c>libNAME.CPU.so</c>) that its manifest lists, and the GPU
    /// build <paramref name="gpu"/> when given (<c>NAME.kernels.dll</c>, <see cref="ModelManifest.Gpu"/>);
    /// returns the path of the portable library.
    /// </summary>
    public static string Write(string name, BundledProgram compiled, string directory, BundledProgram? gpu = null)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        Directory.CreateDirectory(directory);
        var library = ModelArtifact.LibraryPath(directory, name);
        var manifest = ModelArtifact.ManifestPath(directory, name);
        var variants = compiled.Variants.Select(v => (Variant: v, Path: ModelArtifact.LibraryPath(directory, name, v.Cpu))).ToArray();
        var suffix = $".{Environment.ProcessId}.tmp";
        var kernels = ModelArtifact.GpuKernelsPath(directory, name);
        var written = FilesOf(name, compiled, directory, gpu is not null);
        try
        {
            foreach (var (variant, path) in variants)
            {
                File.WriteAllBytes(path + suffix, variant.Program.Library);
            }
            if (gpu is not null)
            {
                File.WriteAllBytes(kernels + suffix, gpu.Library);
            }
            File.WriteAllBytes(library + suffix, compiled.Library);
            var listed = variants.Select(v => new CpuVariant(v.Variant.Cpu, Path.GetFileName(v.Path), Hashed(v.Variant.Program)));
            var gpuBuild = gpu is null ? null : new GpuBuild(Path.GetFileName(kernels), Hashed(gpu));
            File.WriteAllText(manifest + suffix, ManifestFile.Serialize(Hashed(compiled) with { Variants = [.. listed], Gpu = gpuBuild }));
            // The manifest moves last: a build stopped between moves leaves libraries the old manifest's hashes refuse, never a pair that loads wrongly.
            foreach (var path in written)
            {
                File.Move(path + suffix, path, overwrite: true);
            }
            return library;
        }
        finally
        {
            foreach (var path in written)
            {
                File.Delete(path + suffix);
            }
        }
    }

    /// <summary>
    /// The files <see cref="Write"/> writes for model <paramref name="name"/> into <paramref name="directory"/>,
    /// in the order it moves them into place: the variants' libraries, the GPU kernels when
    /// <paramref name="withGpu"/>, the portable library, the manifest last.
    /// </summary>
    public static IReadOnlyList<string> FilesOf(string name, BundledProgram compiled, string directory, bool withGpu)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        return [.. compiled.Variants.Select(v => ModelArtifact.LibraryPath(directory, name, v.Cpu)),
            .. withGpu ? [ModelArtifact.GpuKernelsPath(directory, name)] : Enumerable.Empty<string>(),
            ModelArtifact.LibraryPath(directory, name), ModelArtifact.ManifestPath(directory, name)];
    }

    private static ModelManifest Hashed(BundledProgram program) => program.Manifest with { LibrarySha256 = ModelArtifact.HashOf(program.Library) };
}
