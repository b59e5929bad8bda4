using System.Collections.Immutable;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// Everything the runtime needs to run a compiled model besides its code: the tensors, where
/// each lives, how parameters start, and the kernels in the order they run. Written by
/// <c>modelc build</c> as <c>NAME.manifest.json</c> next to the shared library.
/// </summary>
/// <param name="FormatVersion">The manifest format; the runtime refuses versions it does not know.</param>
/// <param name="Name">The model's name.</param>
/// <param name="Target">The LLVM target triple and CPU the kernels were compiled for.</param>
/// <param name="Symbols">The symbolic dimensions (the batch), in the order kernels receive their values.</param>
/// <param name="Buffers">Every tensor that lives in memory, indexed by <see cref="BufferSpec.Id"/>.</param>
/// <param name="Tensors">The named tensors a caller sees: inputs, outputs, parameters, states.</param>
/// <param name="Kernels">The schedule: kernels in execution order.</param>
/// <param name="ScratchBytes">Per-thread scratch memory the kernels need (packed GEMM panels).</param>
/// <param name="Training">For a compiled train step, its optimizer and the tensors the host drives; null for inference.</param>
public sealed record ModelManifest(
    int FormatVersion,
    string Name,
    string Target,
    ImmutableArray<string> Symbols,
    ImmutableArray<BufferSpec> Buffers,
    ImmutableArray<TensorSpec> Tensors,
    ImmutableArray<KernelSpec> Kernels,
    long ScratchBytes,
    TrainingSpec? Training = null)
{
    /// <summary>The format version this runtime reads and the compiler writes.</summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>The tensors of one role, in declaration order.</summary>
    public IEnumerable<TensorSpec> TensorsOf(TensorRole role) => Tensors.Where(t => t.Role == role);
}
