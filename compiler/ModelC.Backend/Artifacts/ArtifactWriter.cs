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
    /// <summary>Writes a compiled program of model <paramref name="name"/> into <paramref name="directory"/>; returns the library's path.</summary>
    public static string Write(string name, BundledProgram compiled, string directory)
    {
        ArgumentNullException.ThrowIfNull(compiled);
        Directory.CreateDirectory(directory);
        var library = ModelArtifact.LibraryPath(directory, name);
        var manifest = ModelArtifact.ManifestPath(directory, name);
        var suffix = $".{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllBytes(library + suffix, compiled.Library);
            File.WriteAllText(manifest + suffix, ManifestFile.Serialize(compiled.Manifest with { LibrarySha256 = ModelArtifact.HashOf(compiled.Library) }));
            File.Move(library + suffix, library, overwrite: true);
            File.Move(manifest + suffix, manifest, overwrite: true);
            return library;
        }
        finally
        {
            File.Delete(library + suffix);
            File.Delete(manifest + suffix);
        }
    }
}
