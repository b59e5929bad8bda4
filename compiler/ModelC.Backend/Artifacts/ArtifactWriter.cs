using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Backend.Artifacts;

/// <summary>
/// Compiles a model to its loadable form — a shared library and its manifest — in memory, or
/// into a directory. In a directory both are written under temporary names and renamed into
/// place, so a failed or interrupted build never leaves a library and manifest that do not
/// belong together.
/// </summary>
public static class ArtifactWriter
{
    /// <summary>Compiles <paramref name="program"/> for <paramref name="target"/>: the manifest and the bytes of the shared library.</summary>
    /// <param name="program">The kernels.</param>
    /// <param name="target">The CPU to compile for.</param>
    /// <param name="training">For a train step, what the manifest says about its optimizer.</param>
    public static BundledProgram Compile(KernelProgram program, CpuTarget target, TrainingSpec? training = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        var scratch = Directory.CreateTempSubdirectory("modelc-link-");
        try
        {
            var objectPath = Path.Combine(scratch.FullName, program.Name + ".o");
            var libraryPath = Path.Combine(scratch.FullName, $"lib{program.Name}.so");
            File.WriteAllBytes(objectPath, CpuCodeGenerator.EmitObject(program, target));
            SharedLibraryLinker.Link(objectPath, libraryPath);
            return new BundledProgram(ManifestBuilder.Build(program, target, training), File.ReadAllBytes(libraryPath));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>Compiles <paramref name="program"/> for <paramref name="target"/> into <paramref name="directory"/>; returns the library's path.</summary>
    /// <param name="program">The kernels.</param>
    /// <param name="target">The CPU to compile for.</param>
    /// <param name="directory">Where the library and manifest go.</param>
    /// <param name="training">For a train step, what the manifest says about its optimizer.</param>
    public static string Write(KernelProgram program, CpuTarget target, string directory, TrainingSpec? training = null) =>
        Write(program.Name, Compile(program, target, training), directory);

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
            File.WriteAllText(manifest + suffix, ManifestFile.Serialize(compiled.Manifest));
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
