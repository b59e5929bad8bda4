using System.Collections.Immutable;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// One kernel of the schedule: its symbol in the program's code and the buffers it receives. How
/// it is called is the manifest's device's calling convention (on the CPU,
/// <see cref="Execution.CpuCallingConvention"/>). Equal kernels share one symbol, derived from a hash
/// of their code, so a symbol may appear several times with different buffers.
/// </summary>
/// <param name="Symbol">The kernel's symbol in the code.</param>
/// <param name="Buffers">The buffer ids passed to it, output first.</param>
/// <param name="Description">What the kernel computes, for profiles and humans.</param>
/// <param name="Kind">The shape of its code.</param>
public sealed record KernelSpec(string Symbol, ImmutableArray<int> Buffers, string Description, KernelKind Kind);
