using ModelC.Llvm;

namespace ModelC.Backend.Cpu;

/// <summary>The machine kernels are compiled for: the host by default, or an explicit triple, CPU and features for cross-builds.</summary>
/// <param name="Triple">An LLVM target triple such as <c>x86_64-pc-linux-gnu</c>, or null for the host's.</param>
/// <param name="Cpu">An LLVM CPU name such as <c>znver3</c> or <c>x86-64-v3</c>, or null for the host's.</param>
/// <param name="Features">LLVM feature flags such as <c>+avx2,+fma</c>, or null for the CPU's (the host's when the CPU is the host's).</param>
public sealed record CpuTarget(string? Triple = null, string? Cpu = null, string? Features = null)
{
    /// <summary>The host machine.</summary>
    public static CpuTarget Host { get; } = new();

    /// <summary>The triple that will be used.</summary>
    public string ResolvedTriple => Triple ?? NativeTarget.HostTriple;

    /// <summary>The CPU that will be used.</summary>
    public string ResolvedCpu => Cpu ?? NativeTarget.HostCpu;

    /// <summary>Floats per vector register that code for this target can use: 16 with AVX-512, 8 with AVX or AVX2, 4 otherwise (resolved by LLVM from the CPU and features).</summary>
    public int VectorLanes => VectorWidthProbe.LanesOf(this);

    /// <inheritdoc/>
    public override string ToString() => $"{ResolvedTriple} ({ResolvedCpu})";
}
