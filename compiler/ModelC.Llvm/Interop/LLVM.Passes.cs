using System.Runtime.InteropServices;

namespace ModelC.Llvm.Interop;

// llvm-c/Transforms/PassBuilder.h (the new pass manager) and llvm-c/Error.h.
public static unsafe partial class LLVM
{
    /// <summary>LLVMCreatePassBuilderOptions</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMCreatePassBuilderOptions")]
    public static partial LLVMPassBuilderOptionsRef CreatePassBuilderOptions();

    /// <summary>LLVMDisposePassBuilderOptions</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMDisposePassBuilderOptions")]
    public static partial void DisposePassBuilderOptions(LLVMPassBuilderOptionsRef options);

    /// <summary>LLVMRunPasses: runs a textual pipeline such as <c>default&lt;O3&gt;</c>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMRunPasses", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMErrorRef RunPasses(LLVMModuleRef module, string passes, LLVMTargetMachineRef machine, LLVMPassBuilderOptionsRef options);

    /// <summary>LLVMGetErrorMessage: consumes the error; the message is owned (<c>LLVMDisposeErrorMessage</c>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetErrorMessage")]
    public static partial nint GetErrorMessage(LLVMErrorRef error);

    [LibraryImport(LibraryName, EntryPoint = "LLVMDisposeErrorMessage")]
    private static partial void DisposeErrorMessage(nint message);

    /// <summary>Throws <see cref="LlvmException"/> with the error's message if <paramref name="error"/> is an error.</summary>
    public static void ThrowIfError(LLVMErrorRef error, string what)
    {
        if (!error.IsError)
        {
            return;
        }
        var message = GetErrorMessage(error);
        var text = Marshal.PtrToStringUTF8(message) ?? "";
        DisposeErrorMessage(message);
        throw new LlvmException($"{what}: {text}");
    }
}
