using System.Collections.Immutable;
using ModelC.Backend.Kernels;

namespace ModelC.Backend.Driver;

/// <summary>One distinct kernel to compile: its key and its code (named by <see cref="KernelKey.Symbol"/>).</summary>
/// <param name="Key">The kernel's key.</param>
/// <param name="Kernel">The kernel.</param>
/// <param name="Symbols">Its program's symbolic dimensions.</param>
internal sealed record KernelJob(KernelKey Key, Kernel Kernel, ImmutableArray<string> Symbols);
