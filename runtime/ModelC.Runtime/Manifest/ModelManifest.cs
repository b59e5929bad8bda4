using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// Everything the runtime needs to run a compiled model besides its code: the tensors, where
/// each lives, how parameters start, and the kernels in the order they run. Written by
/// <c>modelc build</c> as <c>NAME.manifest.json</c> next to the shared library.
/// </summary>
/// <param name="FormatVersion">The manifest format; the runtime refuses versions it does not know.</param>
/// <param name="Name">The model's name.</param>
/// <param name="Target">What the kernels were compiled for, in words (for a CPU: the LLVM target triple and CPU).</param>
/// <param name="Device">The kind of device the kernels run on, which decides how the runtime allocates memory and launches them.</param>
/// <param name="Symbols">The symbolic dimensions (the batch), in the order kernels receive their values.</param>
/// <param name="Buffers">Every tensor that lives in memory, indexed by <see cref="BufferSpec.Id"/>.</param>
/// <param name="Tensors">The named tensors a caller sees: inputs, outputs, parameters, states.</param>
/// <param name="Kernels">The schedule: kernels in execution order.</param>
/// <param name="ScratchBytes">Scratch memory each worker of the device needs (on the CPU: packed GEMM panels, per thread).</param>
/// <param name="Training">For a compiled train step, its optimizer and the tensors the host drives; null for inference.</param>
/// <param name="LibrarySha256">
/// For a manifest written next to its library by <c>modelc build</c>: the SHA-256 of that library
/// (lowercase hex), which binds the two; null where the code travels with the manifest in memory.
/// </param>
/// <param name="CpuFeatures">
/// The instruction-set features the code needs, by their LLVM names (<see cref="CpuFeatureSupport.Known"/>),
/// checked against the running CPU before the code is loaded; empty for code that needs none the
/// runtime checks (another architecture, another device).
/// </param>
/// <param name="Variants">
/// Builds of the same program for more capable CPUs, most demanding first, each with its own
/// library beside this one's (<see cref="CpuVariant"/>); the runtime runs the first this processor
/// supports, else this manifest's own code. Empty for a build for one CPU.
/// </param>
/// <param name="Gpu">
/// The model's build for ILGPU accelerators beside this CPU build (<see cref="GpuBuild"/>), run
/// when a device is asked for; null (and absent from the JSON) for a CPU-only build.
/// </param>
public sealed record ModelManifest(
    int FormatVersion,
    string Name,
    string Target,
    DeviceKind Device,
    ImmutableArray<string> Symbols,
    ImmutableArray<BufferSpec> Buffers,
    ImmutableArray<TensorSpec> Tensors,
    ImmutableArray<KernelSpec> Kernels,
    long ScratchBytes,
    TrainingSpec? Training = null,
    string? LibrarySha256 = null,
    ImmutableArray<string> CpuFeatures = default,
    ImmutableArray<CpuVariant> Variants = default,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] GpuBuild? Gpu = null)
{
    /// <summary>The format version this runtime reads and the compiler writes (5: i32 inputs used as labels or indices carry their valid range).</summary>
    public const int CurrentFormatVersion = 5;

    /// <summary>The features the code needs; never default (a manifest without them needs none).</summary>
    public ImmutableArray<string> CpuFeatures { get; init; } = CpuFeatures.IsDefault ? [] : CpuFeatures;

    /// <summary>The builds for other CPUs; never default (a manifest without them has none).</summary>
    public ImmutableArray<CpuVariant> Variants { get; init; } = Variants.IsDefault ? [] : Variants;

    /// <summary>The tensors of one role, in declaration order.</summary>
    public IEnumerable<TensorSpec> TensorsOf(TensorRole role) => Tensors.Where(t => t.Role == role);
}
