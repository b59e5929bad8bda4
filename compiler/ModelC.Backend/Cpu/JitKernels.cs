using ModelC.Backend.Kernels;
using ModelC.Llvm;
using ModelC.Llvm.Interop;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Cpu;

/// <summary>
/// A program's kernels compiled in process by ORC's LLJIT for the host (what <c>modelc run</c> and
/// the tests use; built artifacts use <see cref="CpuCodeGenerator.EmitObject"/> instead). libm's
/// functions (sinf, powf) resolve from the process.
/// </summary>
public sealed class JitKernels : IKernelLibrary
{
    private readonly Dictionary<string, nint> _symbols = [];
    private LLVMOrcLLJITRef _jit;

    /// <summary>Compiles <paramref name="program"/>.</summary>
    /// <exception cref="LlvmException">LLVM failed to compile it.</exception>
    public JitKernels(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        NativeTarget.Initialize();
        var context = LLVM.OrcCreateNewThreadSafeContext();
        try
        {
            var module = CpuCodeGenerator.Generate(program, CpuTarget.Host, LLVM.OrcThreadSafeContextGetContext(context));
            LLVM.ThrowIfError(LLVM.OrcCreateLLJIT(out _jit, 0), "creating the JIT");
            var dylib = LLVM.OrcLLJITGetMainJITDylib(_jit);
            LLVM.ThrowIfError(
                LLVM.OrcCreateDynamicLibrarySearchGeneratorForProcess(out var generator, LLVM.OrcLLJITGetGlobalPrefix(_jit), 0, 0),
                "resolving process symbols");
            LLVM.OrcJITDylibAddGenerator(dylib, generator);
            LLVM.ThrowIfError(LLVM.OrcLLJITAddLLVMIRModule(_jit, dylib, LLVM.OrcCreateNewThreadSafeModule(module, context)), "adding the module");
        }
        finally
        {
            LLVM.OrcDisposeThreadSafeContext(context);
        }
    }

    /// <inheritdoc/>
    public nint GetKernel(string symbol)
    {
        ObjectDisposedException.ThrowIf(_jit.Handle == 0, this);
        if (!_symbols.TryGetValue(symbol, out var address))
        {
            LLVM.ThrowIfError(LLVM.OrcLLJITLookup(_jit, out var found, symbol), $"looking up kernel '{symbol}'");
            address = (nint)found;
            _symbols[symbol] = address;
        }
        return address;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_jit.Handle != 0)
        {
            LLVM.ThrowIfError(LLVM.OrcDisposeLLJIT(_jit), "disposing the JIT");
            _jit = default;
        }
    }
}
