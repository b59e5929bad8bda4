using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Driver;

/// <summary>One distinct kernel to compile: its key and its code (named by <see cref="KernelKey.Symbol"/>).</summary>
/// <param name="Key">The kernel's key.</param>
/// <param name="Kernel">The kernel.</param>
/// <param name="Symbols">Its program's symbolic dimensions.</param>
internal sealed record KernelJob(KernelKey Key, Kernel Kernel, ImmutableArray<string> Symbols) : ObjectJob(Key)
{
    /// <inheritdoc/>
    public override ObjectCode Compile(IKernelCodeGenerator generator) => generator.Compile(Kernel, Symbols);

    /// <inheritdoc/>
    /// <remarks>GEMM kernels cost several times what map kernels do.</remarks>
    public override int Order => Kernel is GemmKernel ? 1 : 2;

    /// <inheritdoc/>
    /// <remarks>The largest map kernels (a train step's gradient norm, stencils) cost as much as a GEMM: started last, one of them is the batch's tail.</remarks>
    public override int Size => KernelSize.Of(Kernel);

    /// <inheritdoc/>
    public override string Origin => Kernel.Description;
}
