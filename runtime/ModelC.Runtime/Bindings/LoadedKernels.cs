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

    /// <summary>The loaded code of <paramref name="program"/> (<paramref name="kind"/>: inference or training) of model <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">The code needs CPU features this processor lacks.</exception>
    /// <exception cref="InvalidDataException">The library was not built with the program's manifest (<see cref="ManifestHash"/>).</exception>
    public static SharedLibraryKernels Of(string model, string kind, BundledProgram program)
    {
        CpuFeatureSupport.EnsureSupported(program.Manifest);
        return Loaded.GetValue(program, p => new Lazy<SharedLibraryKernels>(() => Load(p, KernelCache.Extract(p.Library, $"lib{model}.{kind}.so")))).Value;
    }

    private static SharedLibraryKernels Load(BundledProgram program, string path)
    {
        var kernels = new SharedLibraryKernels(path);
        try
        {
            ManifestHash.Check(program.Manifest, kernels, path);
            return kernels;
        }
        catch
        {
            kernels.Dispose();
            throw;
        }
    }
}
