using System.Runtime.InteropServices;

namespace ModelC.Llvm.Interop;

// llvm-c/Orc.h and llvm-c/LLJIT.h: the in-process JIT.
public static unsafe partial class LLVM
{
    /// <summary>LLVMOrcCreateNewThreadSafeContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcCreateNewThreadSafeContext")]
    public static partial LLVMOrcThreadSafeContextRef OrcCreateNewThreadSafeContext();

    /// <summary>LLVMOrcThreadSafeContextGetContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcThreadSafeContextGetContext")]
    public static partial LLVMContextRef OrcThreadSafeContextGetContext(LLVMOrcThreadSafeContextRef context);

    /// <summary>LLVMOrcDisposeThreadSafeContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcDisposeThreadSafeContext")]
    public static partial void OrcDisposeThreadSafeContext(LLVMOrcThreadSafeContextRef context);

    /// <summary>LLVMOrcCreateNewThreadSafeModule: takes ownership of the module.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcCreateNewThreadSafeModule")]
    public static partial LLVMOrcThreadSafeModuleRef OrcCreateNewThreadSafeModule(LLVMModuleRef module, LLVMOrcThreadSafeContextRef context);

    /// <summary>LLVMOrcCreateLLJIT with the default builder (pass 0).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcCreateLLJIT")]
    public static partial LLVMErrorRef OrcCreateLLJIT(out LLVMOrcLLJITRef jit, nint builder);

    /// <summary>LLVMOrcDisposeLLJIT</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcDisposeLLJIT")]
    public static partial LLVMErrorRef OrcDisposeLLJIT(LLVMOrcLLJITRef jit);

    /// <summary>LLVMOrcLLJITGetMainJITDylib</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcLLJITGetMainJITDylib")]
    public static partial LLVMOrcJITDylibRef OrcLLJITGetMainJITDylib(LLVMOrcLLJITRef jit);

    /// <summary>LLVMOrcLLJITAddLLVMIRModule: takes ownership of the thread-safe module.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcLLJITAddLLVMIRModule")]
    public static partial LLVMErrorRef OrcLLJITAddLLVMIRModule(LLVMOrcLLJITRef jit, LLVMOrcJITDylibRef dylib, LLVMOrcThreadSafeModuleRef module);

    /// <summary>LLVMOrcLLJITAddObjectFile: adds relocatable object code to <paramref name="dylib"/>; takes ownership of the buffer.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcLLJITAddObjectFile")]
    public static partial LLVMErrorRef OrcLLJITAddObjectFile(LLVMOrcLLJITRef jit, LLVMOrcJITDylibRef dylib, LLVMMemoryBufferRef objectBuffer);

    /// <summary>LLVMOrcLLJITLookup: the address of a symbol, compiling it on first lookup.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcLLJITLookup", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMErrorRef OrcLLJITLookup(LLVMOrcLLJITRef jit, out ulong address, string name);

    /// <summary>LLVMOrcLLJITGetGlobalPrefix: the character the platform prepends to C symbols ('\0' on ELF).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcLLJITGetGlobalPrefix")]
    public static partial byte OrcLLJITGetGlobalPrefix(LLVMOrcLLJITRef jit);

    /// <summary>LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess: resolves undefined symbols (libm's sinf) from the process.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess")]
    public static partial LLVMErrorRef OrcCreateDynamicLibrarySearchGeneratorForProcess(out LLVMOrcDefinitionGeneratorRef generator, byte globalPrefix, nint filter, nint filterContext);

    /// <summary>LLVMOrcJITDylibAddGenerator: the dylib takes ownership of the generator.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMOrcJITDylibAddGenerator")]
    public static partial void OrcJITDylibAddGenerator(LLVMOrcJITDylibRef dylib, LLVMOrcDefinitionGeneratorRef generator);
}
