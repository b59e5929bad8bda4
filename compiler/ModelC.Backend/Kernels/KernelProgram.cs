using System.Collections.Immutable;

namespace ModelC.Backend.Kernels;

/// <summary>
/// A graph lowered to kernels: the buffers, the kernels in execution order, and the symbolic
/// dimensions whose values kernels read at run time. The input of code generation.
/// </summary>
public sealed record KernelProgram(
    string Name,
    ImmutableArray<string> Symbols,
    ImmutableArray<KernelBuffer> Buffers,
    ImmutableArray<Kernel> Kernels);
