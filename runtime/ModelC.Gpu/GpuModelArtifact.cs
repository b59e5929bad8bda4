using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Gpu.Runtime;

/// <summary>
/// Loads the GPU build of a model from a folder <c>modelc build --device</c> wrote
/// (<see cref="ModelManifest.Gpu"/>, <c>NAME.kernels.dll</c>), checked both ways before any kernel
/// is prepared: the assembly's bytes against the SHA-256 its manifest records, and the manifest
/// against the hash the assembly was stamped with.
/// </summary>
public static class GpuModelArtifact
{
    /// <summary>The GPU manifest and kernels of model <paramref name="name"/> built into <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">The directory has no such model.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed, or the assembly and manifest are not the pair built together.</exception>
    /// <exception cref="InvalidOperationException">The model was built without GPU kernels.</exception>
    public static (ModelManifest Manifest, GpuKernelLibrary Kernels) Load(string directory, string name)
    {
        var (manifest, image) = ModelArtifact.LoadGpuKernels(directory, name);
        return (manifest, GpuKernelLibrary.Checked(manifest, image, $"model '{name}' in '{directory}'"));
    }
}
