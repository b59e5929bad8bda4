using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Artifacts;

/// <summary>
/// Writes a compiled model to a directory: the shared library and its manifest. Both are
/// written under temporary names and renamed into place, so a failed or interrupted build never
/// leaves a library and manifest that do not belong together.
/// </summary>
public static class ArtifactWriter
{
    /// <summary>Compiles <paramref name="program"/> for <paramref name="target"/> into <paramref name="directory"/>; returns the library's path.</summary>
    /// <param name="program">The kernels.</param>
    /// <param name="target">The CPU to compile for.</param>
    /// <param name="directory">Where the library and manifest go.</param>
    /// <param name="training">For a train step, what the manifest says about its optimizer.</param>
    public static string Write(KernelProgram program, CpuTarget target, string directory, TrainingSpec? training = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        Directory.CreateDirectory(directory);
        var library = ModelArtifact.LibraryPath(directory, program.Name);
        var manifest = ModelArtifact.ManifestPath(directory, program.Name);
        var suffix = $".{Environment.ProcessId}.tmp";
        var objectPath = Path.Combine(directory, program.Name + ".o" + suffix);
        try
        {
            File.WriteAllBytes(objectPath, CpuCodeGenerator.EmitObject(program, target));
            SharedLibraryLinker.Link(objectPath, library + suffix);
            File.WriteAllText(manifest + suffix, ManifestFile.Serialize(ManifestBuilder.Build(program, target, training)));
            File.Move(library + suffix, library, overwrite: true);
            File.Move(manifest + suffix, manifest, overwrite: true);
            return library;
        }
        finally
        {
            File.Delete(objectPath);
            File.Delete(library + suffix);
            File.Delete(manifest + suffix);
        }
    }
}
