using System.Runtime.InteropServices;

namespace ModelC.Llvm.Interop;

// llvm-c/Target.h and llvm-c/TargetMachine.h. The LLVMInitializeAll*/Native* functions of
// Target.h are inline in the header; LlvmTargets calls the exported per-target initialisers.
public static unsafe partial class LLVM
{
    /// <summary>LLVMGetDefaultTargetTriple (owned result: <see cref="TakeMessage"/>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetDefaultTargetTriple")]
    public static partial nint GetDefaultTargetTriple();

    /// <summary>LLVMGetHostCPUName (owned result: <see cref="TakeMessage"/>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetHostCPUName")]
    public static partial nint GetHostCPUName();

    /// <summary>LLVMGetHostCPUFeatures (owned result: <see cref="TakeMessage"/>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetHostCPUFeatures")]
    public static partial nint GetHostCPUFeatures();

    /// <summary>LLVMGetTargetFromTriple: 0 on success, else <paramref name="errorMessage"/> is owned.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetTargetFromTriple", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetTargetFromTriple(string triple, out LLVMTargetRef target, out nint errorMessage);

    /// <summary>LLVMCreateTargetMachine</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMCreateTargetMachine", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMTargetMachineRef CreateTargetMachine(LLVMTargetRef target, string triple, string cpu, string features,
        LLVMCodeGenOptLevel level, LLVMRelocMode reloc, LLVMCodeModel codeModel);

    /// <summary>LLVMDisposeTargetMachine</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMDisposeTargetMachine")]
    public static partial void DisposeTargetMachine(LLVMTargetMachineRef machine);

    /// <summary>LLVMCreateTargetDataLayout</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMCreateTargetDataLayout")]
    public static partial LLVMTargetDataRef CreateTargetDataLayout(LLVMTargetMachineRef machine);

    /// <summary>LLVMDisposeTargetData</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMDisposeTargetData")]
    public static partial void DisposeTargetData(LLVMTargetDataRef data);

    /// <summary>LLVMSetModuleDataLayout</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMSetModuleDataLayout")]
    public static partial void SetModuleDataLayout(LLVMModuleRef module, LLVMTargetDataRef data);

    /// <summary>LLVMTargetMachineEmitToMemoryBuffer: 0 on success, else <paramref name="errorMessage"/> is owned.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMTargetMachineEmitToMemoryBuffer")]
    public static partial int TargetMachineEmitToMemoryBuffer(LLVMTargetMachineRef machine, LLVMModuleRef module,
        LLVMCodeGenFileType fileType, out nint errorMessage, out LLVMMemoryBufferRef buffer);

    /// <summary>LLVMGetBufferStart</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetBufferStart")]
    public static partial byte* GetBufferStart(LLVMMemoryBufferRef buffer);

    /// <summary>LLVMGetBufferSize</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetBufferSize")]
    public static partial nuint GetBufferSize(LLVMMemoryBufferRef buffer);

    /// <summary>LLVMCreateMemoryBufferWithMemoryRangeCopy (llvm-c/Core.h): a buffer owning a copy of <paramref name="length"/> bytes.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMCreateMemoryBufferWithMemoryRangeCopy", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMMemoryBufferRef CreateMemoryBufferWithMemoryRangeCopy(byte* data, nuint length, string bufferName);

    /// <summary>LLVMDisposeMemoryBuffer</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMDisposeMemoryBuffer")]
    public static partial void DisposeMemoryBuffer(LLVMMemoryBufferRef buffer);
}
