using System.Collections.Immutable;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Backend.Targets;
using ModelC.Gpu.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Gpu;

/// <summary>
/// Kernels for ILGPU accelerators (<see cref="DeviceKind.Gpu"/>): each kernel becomes a C# class
/// (map kernels one thread per element, grid-stride; GEMMs tiled through shared memory with
/// register blocking), a program's classes one .NET assembly compiled by Roslyn, and ILGPU
/// compiles that IL for the accelerator that runs it — a CUDA GPU, or ILGPU's CPU accelerator.
/// The code does not depend on which: the accelerator is chosen when the model is run.
/// </summary>
public sealed class GpuTarget : ICompileTarget
{
    /// <summary>The target (it has no settings).</summary>
    public static GpuTarget Instance { get; } = new();

    private GpuTarget()
    {
    }

    /// <inheritdoc/>
    public DeviceKind Device => DeviceKind.Gpu;

    /// <inheritdoc/>
    public string Description => $"ILGPU {typeof(ILGPU.Grid).Assembly.GetName().Version} (C# kernels, compiled for the accelerator at load)";

    /// <inheritdoc/>
    public string Identity => $"gpu; ILGPU {typeof(ILGPU.Grid).Assembly.GetName().Version}; {CodeGeneratorIdentity.Version(typeof(GpuTarget).Assembly)}; {CodeGeneratorIdentity.Version(typeof(KernelMath).Assembly)}";

    /// <summary>None: ILGPU compiles the kernels for the accelerator that loads them.</summary>
    public ImmutableArray<string> RequiredFeatures => [];

    /// <summary>GEMM tiles on the GPU are shaped by the generator, not by the scheduler's tiling; any width serves the scheduler.</summary>
    public int VectorLanes => 16;

    /// <summary>
    /// Neither of the first two: a GPU thread computes one element, so a row scalar computed in its
    /// consumer would be summed again for every element, and a GEMM tile reading through a pad would
    /// test its bounds and select on every read of every element. Non-affine reads cost a thread no
    /// vector lanes, so a transcendental function joins any epilogue.
    /// </summary>
    public TargetCapabilities Capabilities { get; } = new(HoistsRowInvariants: false, ReadsZeroPadsInPlace: false, VectorisesNonAffineReads: true);

    /// <inheritdoc/>
    public long ScratchBytes(KernelProgram program) => 0;

    /// <inheritdoc/>
    public IReadOnlyList<SupportRoutine> SupportOf(Kernel kernel) => [];

    /// <inheritdoc/>
    public IKernelCodeGenerator CreateCodeGenerator(bool measure = false) => new GpuCodeGenerator();

    /// <inheritdoc/>
    public IKernelLibrary Load(IReadOnlyList<KernelObject> objects) => GpuKernelLibrary.FromImage(KernelAssemblyCompiler.Compile(objects));

    /// <inheritdoc/>
    /// <remarks>The stamp is a constant of the assembly (<see cref="GpuKernelConvention.ManifestStampClass"/>), which <see cref="GpuModelArtifact"/> checks.</remarks>
    public byte[] Link(IReadOnlyList<KernelObject> objects, byte[] manifestSha256) => KernelAssemblyCompiler.Compile(objects, manifestSha256);
}
