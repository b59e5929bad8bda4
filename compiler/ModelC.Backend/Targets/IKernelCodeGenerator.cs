using System.Collections.Immutable;
using ModelC.Backend.Kernels;

namespace ModelC.Backend.Targets;

/// <summary>
/// Compiles single kernels to object code for one target. Each worker thread of a parallel
/// compile owns one (code generators keep per-thread state such as an LLVM target machine).
/// </summary>
public interface IKernelCodeGenerator : IDisposable
{
    /// <summary>
    /// The object code of <paramref name="kernel"/>, exporting its entry points under
    /// <see cref="Kernel.Symbol"/>. The result depends only on the kernel's canonical form (see
    /// <see cref="Driver.KernelFingerprint"/>), the target and the code generator itself.
    /// </summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="symbols">The program's symbolic dimensions, in the order kernels receive their values.</param>
    ObjectCode Compile(Kernel kernel, ImmutableArray<string> symbols);

    /// <summary>The object code of <paramref name="routine"/>, defining it under its <see cref="SupportRoutine.Name"/>.</summary>
    ObjectCode Compile(SupportRoutine routine);
}
