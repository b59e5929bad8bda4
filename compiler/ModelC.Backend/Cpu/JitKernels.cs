using ModelC.Backend.Targets;
using ModelC.Llvm;
using ModelC.Llvm.Interop;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Kernels' object code loaded into this process by ORC's LLJIT (what <c>modelc run</c>,
/// <c>modelc train</c> and the tests use; built libraries are linked instead). Each object is
/// linked when one of its symbols is first looked up; libm's functions (sinf, powf) resolve from
/// the process.
/// </summary>
internal sealed unsafe class JitKernels : IKernelLibrary
{
    private readonly Dictionary<string, nint> _symbols = [];
    private LLVMOrcLLJITRef _jit;

    /// <summary>Adds <paramref name="objects"/> (each defining distinct symbols) to a new JIT.</summary>
    /// <exception cref="LlvmException">The JIT refused an object.</exception>
    public JitKernels(IReadOnlyList<KernelObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        NativeTarget.Initialize();
        LLVM.ThrowIfError(LLVM.OrcCreateLLJIT(out _jit, 0), "creating the JIT");
        try
        {
            var dylib = LLVM.OrcLLJITGetMainJITDylib(_jit);
            LLVM.ThrowIfError(
                LLVM.OrcCreateDynamicLibrarySearchGeneratorForProcess(out var generator, LLVM.OrcLLJITGetGlobalPrefix(_jit), 0, 0),
                "resolving process symbols");
            LLVM.OrcJITDylibAddGenerator(dylib, generator);
            foreach (var item in objects)
            {
                fixed (byte* code = item.Code)
                {
                    // The JIT owns the copy; the managed array may go.
                    var buffer = LLVM.CreateMemoryBufferWithMemoryRangeCopy(code, (nuint)item.Code.Length, item.Key.Symbol + ".o");
                    LLVM.ThrowIfError(LLVM.OrcLLJITAddObjectFile(_jit, dylib, buffer), $"adding the object of kernel '{item.Key.Symbol}'");
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public nint GetKernel(string symbol)
    {
        // Instances on several threads (data-parallel ranks in one process) share one JIT.
        lock (_symbols)
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
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_symbols)
        {
            if (_jit.Handle != 0)
            {
                LLVM.ThrowIfError(LLVM.OrcDisposeLLJIT(_jit), "disposing the JIT");
                _jit = default;
            }
        }
    }
}
