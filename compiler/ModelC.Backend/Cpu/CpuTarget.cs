using System.Collections.Immutable;
using System.Text;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Backend.Targets;
using ModelC.Llvm;
using ModelC.Llvm.Interop;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Cpu;

/// <summary>
/// The CPU as a compile target: the host by default, or an explicit triple, CPU and features for
/// cross-builds. Kernels follow the <see cref="CpuCallingConvention"/>, are compiled by LLVM one per
/// module (<see cref="CpuKernelCompiler"/>), loaded in process by ORC (<see cref="JitKernels"/>) or
/// linked into an ELF shared library by the C compiler driver (<see cref="SharedLibraryLinker"/>).
/// </summary>
/// <param name="Triple">An LLVM target triple such as <c>x86_64-pc-linux-gnu</c>, or null for the host's.</param>
/// <param name="Cpu">An LLVM CPU name such as <c>znver3</c> or <c>x86-64-v3</c>, or null for the host's.</param>
/// <param name="Features">LLVM feature flags such as <c>+avx2,+fma</c>, or null for the CPU's (the host's when the CPU is the host's).</param>
public sealed record CpuTarget(string? Triple = null, string? Cpu = null, string? Features = null) : ICompileTarget
{
    /// <summary>The host machine.</summary>
    public static CpuTarget Host { get; } = new();

    /// <summary>The triple that will be used.</summary>
    public string ResolvedTriple => Triple ?? NativeTarget.HostTriple;

    /// <summary>The CPU that will be used: the given one, the host's for the host's triple, else the triple's generic CPU.</summary>
    public string ResolvedCpu => Cpu ?? (IsHost ? NativeTarget.HostCpu : "generic");

    /// <summary>The features that will be used: the given ones, the host's for the host CPU, else the CPU's own (none added).</summary>
    public string ResolvedFeatures => Features ?? (IsHost ? NativeTarget.HostFeatures : "");

    /// <summary>The portable default of <c>modelc build</c>: any x86-64 CPU with AVX2 and FMA (Haswell, Zen 1 and later).</summary>
    public static CpuTarget Portable { get; } = new(Cpu: "x86-64-v3");

    /// <summary>
    /// The builds <c>modelc build</c> makes beside <see cref="Portable"/> by default, most demanding
    /// first, which the runtime prefers where the CPU has their features: x86-64-v4 (AVX-512),
    /// whose 16-lane kernels run up to twice as fast as the 8-lane portable ones.
    /// </summary>
    public static IReadOnlyList<CpuTarget> PortableVariants { get; } = [new(Cpu: "x86-64-v4")];

    // The host's CPU: no CPU named, for the host's triple.
    private bool IsHost => Cpu is null && (Triple is null || Triple == NativeTarget.HostTriple);

    /// <inheritdoc/>
    /// <remarks>
    /// For x86-64: the features of the CPU's microarchitecture level (<see cref="X86Cpus"/>), or
    /// the host's own, with the explicit <see cref="Features"/> added or removed; the runtime
    /// checks those it knows. None for other architectures, whose libraries the loader refuses on
    /// another machine anyway.
    /// </remarks>
    public ImmutableArray<string> RequiredFeatures
    {
        get
        {
            if (!X86Cpus.IsX86_64(ResolvedTriple))
            {
                return [];
            }
            var features = new HashSet<string>(IsHost ? FeatureList(NativeTarget.HostFeatures).Where(f => f.Enabled).Select(f => f.Name) : X86Cpus.FeaturesOf(X86Cpus.LevelOf(ResolvedCpu) ?? 1), StringComparer.Ordinal);
            foreach (var (name, enabled) in FeatureList(Features ?? ""))
            {
                _ = enabled ? features.Add(name) : features.Remove(name);
            }
            return [.. features.Where(CpuFeatureSupport.Known.Contains).Order(StringComparer.Ordinal)];
        }
    }

    // LLVM's feature string: "+avx2,-avx512f,…".
    private static IEnumerable<(string Name, bool Enabled)> FeatureList(string features) =>
        features.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(f => f.Length > 1 && f[0] is '+' or '-')
            .Select(f => (f[1..], f[0] == '+'));

    /// <inheritdoc/>
    /// <remarks>16 with AVX-512, 8 with AVX or AVX2, 4 otherwise, resolved by LLVM from the CPU and features.</remarks>
    public int VectorLanes => VectorWidthProbe.LanesOf(this);

    /// <summary>
    /// Bytes of L2 cache per core that GEMM blocking may assume: the host's (from sysfs) when
    /// compiling for the host; null for a named CPU, whose builds run on machines of any cache
    /// size (the tiling then assumes a small current core's).
    /// </summary>
    public long? L2CacheBytes => IsHost ? HostCache.L2Bytes : null;

    /// <summary>
    /// Both of the first two: <see cref="MapKernelEmitter"/> evaluates row invariants before each
    /// row's loop, and the GEMM's gathering pack reads a zero pad's input with a per-lane bounds
    /// mask (<see cref="GemmOperandAccess.AffineBoundedLoad"/>). Not the third: LLVM's loop
    /// vectoriser leaves an epilogue row loop that divides its column index (MgNO's col2im reads)
    /// scalar, and an erf inlined there runs one element at a time.
    /// </summary>
    public TargetCapabilities Capabilities { get; } = new(HoistsRowInvariants: true, ReadsZeroPadsInPlace: true, VectorisesNonAffineReads: false);

    /// <summary>
    /// LLVM 15 and 16 load objects into the JIT with RuntimeDyld, which may map an object's
    /// constants more than 2 GB away from its code, out of reach of the small code model's
    /// RIP-relative loads; the large code model assumes no such distance. From LLVM 17 the JIT
    /// links with JITLink, which keeps an object together, and the default model gives the best
    /// code. Follows from the LLVM version, which the identity holds.
    /// </summary>
    internal LLVMCodeModel CodeModel => LlvmLibrary.MajorVersion < 17 ? LLVMCodeModel.LLVMCodeModelLarge : LLVMCodeModel.LLVMCodeModelDefault;

    /// <summary>
    /// Whether the optimiser may lower a branch chain to a jump table. Not with RuntimeDyld (LLVM
    /// 15 and 16): even under the large code model a table holds 32-bit offsets from itself to
    /// the code, and RuntimeDyld may map the table's section gigabytes away from the code, so the
    /// jump lands on a truncated address.
    /// </summary>
    internal bool AllowsJumpTables => LlvmLibrary.MajorVersion >= 17;

    /// <inheritdoc/>
    public DeviceKind Device => DeviceKind.Cpu;

    /// <inheritdoc/>
    public string Description => ToString();

    /// <inheritdoc/>
    /// <remarks>
    /// Every public property of the record takes part (through the record's generated member
    /// printer), so a setting added later changes the keys without being listed here; this member
    /// is implemented explicitly to keep itself out of that list. The LLVM library and the interop
    /// assembly that drives it are part of the tool chain.
    /// </remarks>
    string ICompileTarget.Identity
    {
        get
        {
            var members = new StringBuilder();
            PrintMembers(members);
            return $"cpu {{ {members} }}; LLVM {LlvmLibrary.MajorVersion} at {LlvmLibrary.Path}; {CodeGeneratorIdentity.Version(typeof(LlvmLibrary).Assembly)}";
        }
    }

    /// <inheritdoc/>
    public long ScratchBytes(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return program.Kernels.OfType<GemmKernel>().Select(k => k.Tiling.ScratchBytes).DefaultIfEmpty(0).Max();
    }

    /// <inheritdoc/>
    /// <remarks>A GEMM kernel calls its tiling's register tile and may transpose into panels of its rows and of its columns; a map kernel may test whole buffers for infinities and NaNs (a train step's guard).</remarks>
    public IReadOnlyList<SupportRoutine> SupportOf(Kernel kernel) => kernel switch
    {
        GemmKernel gemm => [GemmTileRoutine.Of(gemm.Tiling), .. new[] { gemm.Tiling.TileRows, gemm.Tiling.TileColumns }.Distinct().Select(w => new GemmTransposeRoutine(gemm.Tiling.Lanes, w))],
        MapKernel map => FiniteCheck.CallsRoutine(map) ? [FiniteCheckRoutine.Instance] : [],
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), $"no CPU code for {kernel?.GetType().Name}"),
    };

    /// <inheritdoc/>
    public IKernelCodeGenerator CreateCodeGenerator(bool measure = false) => new CpuKernelCompiler(this, measure);

    /// <inheritdoc/>
    public IKernelLibrary Load(IReadOnlyList<KernelObject> objects)
    {
        if (ResolvedTriple != NativeTarget.HostTriple)
        {
            throw new NotSupportedException($"code for {ResolvedTriple} cannot run on this {NativeTarget.HostTriple} machine; build a library instead");
        }
        return new JitKernels(objects);
    }

    /// <inheritdoc/>
    /// <remarks>The stamp is an exported constant that <c>ModelArtifact.Load</c> and embedded bundles read before any kernel runs.</remarks>
    public byte[] Link(IReadOnlyList<KernelObject> objects, byte[] manifestSha256)
    {
        using var compiler = new CpuKernelCompiler(this, measure: false);
        return SharedLibraryLinker.Link(objects, compiler.CompileManifestStamp(manifestSha256).Bytes);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ResolvedTriple} ({ResolvedCpu})";
}
