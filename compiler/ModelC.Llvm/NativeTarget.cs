using ModelC.Llvm.Interop;

namespace ModelC.Llvm;

/// <summary>
/// The x86-64 host as an LLVM target: initialisation (once per process), the host's triple, CPU
/// and features, and target machines for the host or an explicit CPU (cross-builds).
/// </summary>
public static class NativeTarget
{
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        LLVM.InitializeX86TargetInfo();
        LLVM.InitializeX86Target();
        LLVM.InitializeX86TargetMC();
        LLVM.InitializeX86AsmPrinter();
        return true;
    });

    /// <summary>Registers the x86 target with LLVM (idempotent; loads libLLVM if needed).</summary>
    public static void Initialize()
    {
        LlvmLibrary.EnsureLoaded();
        _ = Initialized.Value;
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
    /// triple, CPU and features, with the target's default code model unless told otherwise. The
    /// caller disposes it with <c>LLVM.DisposeTargetMachine</c>.
    /// </summary>
    public static LLVMTargetMachineRef CreateMachine(string? triple = null, string? cpu = null, string? features = null,
        LLVMCodeModel codeModel = LLVMCodeModel.LLVMCodeModelDefault)
    {
        Initialize();
        triple ??= HostTriple;
        if (LLVM.GetTargetFromTriple(triple, out var target, out var error) != 0)
        {
            throw new LlvmException($"unknown target '{triple}': {LLVM.TakeMessage(error)}");
        }
        return LLVM.CreateTargetMachine(target, triple, cpu ?? HostCpu, features ?? (cpu is null ? HostFeatures : ""),
            LLVMCodeGenOptLevel.LLVMCodeGenLevelAggressive, LLVMRelocMode.LLVMRelocPIC, codeModel);
    }
}
