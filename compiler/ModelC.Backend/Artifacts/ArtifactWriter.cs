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
    /// with a library per CPU variant (<c>libNAME.CPU.so</c>) that its manifest lists; returns the
    /// path of the portable library.
    /// </summary>
    public static string Write(string name, BundledProgram compiled, string directory)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        Directory.CreateDirectory(directory);
        var library = ModelArtifact.LibraryPath(directory, name);
        var manifest = ModelArtifact.ManifestPath(directory, name);
        var variants = compiled.Variants.Select(v => (Variant: v, Path: ModelArtifact.LibraryPath(directory, name, v.Cpu))).ToArray();
        var suffix = $".{Environment.ProcessId}.tmp";
        string[] written = [.. variants.Select(v => v.Path), library, manifest];
        try
        {
            foreach (var (variant, path) in variants)
            {
                File.WriteAllBytes(path + suffix, variant.Program.Library);
            }
            File.WriteAllBytes(library + suffix, compiled.Library);
            var listed = variants.Select(v => new CpuVariant(v.Variant.Cpu, Path.GetFileName(v.Path), Hashed(v.Variant.Program)));
            File.WriteAllText(manifest + suffix, ManifestFile.Serialize(Hashed(compiled) with { Variants = [.. listed] }));
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

    private static ModelManifest Hashed(BundledProgram program) => program.Manifest with { LibrarySha256 = ModelArtifact.HashOf(program.Library) };
}
