using System.Runtime.InteropServices;

namespace ModelC.Llvm;

/// <summary>
/// Registers every target the loaded libLLVM was built with. <c>LLVMInitializeAllTargets</c> and
/// its siblings are inline functions of <c>llvm-c/Target.h</c>, expanded from the build's target
/// list, so a binding cannot call them; instead each in-tree target's exported initialisers are
/// looked up and called when the library has them (a distribution may leave targets out).
/// </summary>
internal static class LlvmTargets
{
    // LLVM's in-tree targets (15–19), experimental ones included: a name the library lacks costs a lookup.
    private static readonly string[] Names =
    [
        "AArch64", "AMDGPU", "ARC", "ARM", "AVR", "BPF", "CSKY", "DirectX", "Hexagon", "Lanai", "LoongArch", "M68k",
        "Mips", "MSP430", "NVPTX", "PowerPC", "RISCV", "Sparc", "SPIRV", "SystemZ", "VE", "WebAssembly", "X86", "XCore", "Xtensa",
    ];

    // The initialisers of one target, in the order LLVMInitializeAll* would run them.
    private static readonly string[] Parts = ["TargetInfo", "Target", "TargetMC", "AsmPrinter"];

    /// <summary>Calls every initialiser <paramref name="library"/> exports; returns the targets that have a code generator.</summary>
    public static unsafe IReadOnlyList<string> InitializeAll(nint library)
    {
        var initialized = new List<string>();
        foreach (var name in Names)
        {
            foreach (var part in Parts)
            {
                if (NativeLibrary.TryGetExport(library, $"LLVMInitialize{name}{part}", out var initialize))
                {
                    ((delegate* unmanaged<void>)initialize)();
                }
            }
            if (NativeLibrary.TryGetExport(library, $"LLVMInitialize{name}Target", out _))
            {
                initialized.Add(name);
            }
        }
        return initialized;
    }
}
