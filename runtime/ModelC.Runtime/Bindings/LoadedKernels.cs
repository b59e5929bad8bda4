using System.Runtime.CompilerServices;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Runtime.Bindings;

/// <summary>
/// The kernel libraries of embedded programs, extracted to the <see cref="KernelCache"/> and
/// loaded once per process. Like assemblies, they stay loaded for the life of the process, so
/// every instance of a generated class shares them.
/// </summary>
internal static class LoadedKernels
{
    private static readonly ConditionalWeakTable<BundledProgram, Lazy<SharedLibraryKernels>> Loaded = [];
    private static readonly ConditionalWeakTable<BundledProgram, Lazy<IKernelLibrary>> LoadedGpu = [];

    /// <summary>The loaded code of <paramref name="program"/> (<paramref name="kind"/>: inference or training) of model <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">The code needs CPU features this processor lacks.</exception>
    /// <exception cref="InvalidDataException">The library was not built with the program's manifest (<see cref="ManifestHash"/>).</exception>
    public static SharedLibraryKernels Of(string model, string kind, BundledProgram program)
    {
        CpuFeatureSupport.EnsureSupported(program.Manifest);
        return Loaded.GetValue(program, p => new Lazy<SharedLibraryKernels>(() => ManifestHash.LoadChecked(p.Manifest, KernelCache.Extract(p.Library, $"lib{model}.{kind}.so")))).Value;
    }

    /// <summary>
    /// The loaded GPU kernels of <paramref name="build"/>, the GPU build of program <paramref name="kind"/> of
    /// model <paramref name="model"/>: checked against the SHA-256 its manifest records before
    /// <paramref name="runtime"/> loads the assembly (and checks the manifest hash it carries).
    /// </summary>
    /// <exception cref="InvalidDataException">The assembly or the manifest is not the one the other was built with.</exception>
    public static IKernelLibrary OfGpu(string model, string kind, BundledProgram build, IGpuRuntime runtime) =>
        LoadedGpu.GetValue(build, b => new Lazy<IKernelLibrary>(() =>
        {
            ModelArtifact.CheckLibraryHash(b.Manifest, b.Library, $"the GPU kernel assembly of model {model} ({kind})");
            return runtime.LoadKernels(b.Manifest, b.Library, $"model {model} ({kind})");
        })).Value;
}
