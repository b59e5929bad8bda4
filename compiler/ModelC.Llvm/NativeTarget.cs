using ModelC.Llvm.Interop;

namespace ModelC.Llvm;

/// <summary>
/// LLVM's targets: initialisation of every target the library has (once per process), the host's
/// triple, CPU and features, and target machines for the host or an explicit triple and CPU
/// (cross-builds).
/// </summary>
public static class NativeTarget
{
    private static readonly Lazy<IReadOnlyList<string>> Initialized = new(() => LlvmTargets.InitializeAll(LlvmLibrary.Handle));

    /// <summary>Registers every target the loaded libLLVM has (idempotent; loads libLLVM if needed).</summary>
    public static void Initialize()
    {
        LlvmLibrary.EnsureLoaded();
        _ = Initialized.Value;
    }

    /// <summary>The targets the loaded libLLVM can generate code for, e.g. <c>AArch64</c>, <c>X86</c>.</summary>
    public static IReadOnlyList<string> Targets
    {
        get
        {
            Initialize();
            return Initialized.Value;
        }
    }

    /// <summary>The triple of the machine we run on, e.g. <c>x86_64-pc-linux-gnu</c>.</summary>
    public static string HostTriple
    {
        get
        {
            Initialize();
            return LLVM.TakeMessage(LLVM.GetDefaultTargetTriple());
        }
    }

    /// <summary>The host CPU's name as LLVM knows it, e.g. <c>znver3</c>.</summary>
    public static string HostCpu
    {
        get
        {
            Initialize();
            return LLVM.TakeMessage(LLVM.GetHostCPUName());
        }
    }

    /// <summary>The host CPU's features, e.g. <c>+avx2,+fma,…</c>.</summary>
    public static string HostFeatures
    {
        get
        {
            Initialize();
            return LLVM.TakeMessage(LLVM.GetHostCPUFeatures());
        }
    }

    /// <summary>
    /// A target machine for position-independent code at -O3: the host by default, or the given
    /// triple, CPU and features, with the target's default code model unless told otherwise. With
    /// no CPU, the host's CPU and features for the host's triple, else the triple's generic CPU.
    /// The caller disposes it with <c>LLVM.DisposeTargetMachine</c>.
    /// </summary>
    /// <exception cref="LlvmException">The library has no such target, or an x86-64 CPU name LLVM does not know (<see cref="X86Cpus"/>).</exception>
    public static LLVMTargetMachineRef CreateMachine(string? triple = null, string? cpu = null, string? features = null,
        LLVMCodeModel codeModel = LLVMCodeModel.LLVMCodeModelDefault)
    {
        Initialize();
        triple ??= HostTriple;
        if (LLVM.GetTargetFromTriple(triple, out var target, out var error) != 0)
        {
            throw new LlvmException($"unknown target '{triple}': {LLVM.TakeMessage(error)} (this libLLVM has: {string.Join(", ", Targets)})");
        }
        if (cpu is not null && X86Cpus.IsX86_64(triple) && X86Cpus.Problem(cpu) is { } problem)
        {
            throw new LlvmException(problem);
        }
        var host = cpu is null && triple == HostTriple;
        return LLVM.CreateTargetMachine(target, triple, cpu ?? (host ? HostCpu : "generic"), features ?? (host ? HostFeatures : ""),
            LLVMCodeGenOptLevel.LLVMCodeGenLevelAggressive, LLVMRelocMode.LLVMRelocPIC, codeModel);
    }
}
