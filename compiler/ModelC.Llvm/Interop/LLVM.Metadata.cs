using System.Runtime.InteropServices;

namespace ModelC.Llvm.Interop;

/// <summary>
/// Metadata (llvm-c/Core.h and, for temporary nodes, llvm-c/DebugInfo.h): enough to attach a loop
/// ID (<c>!llvm.loop</c>), which must be a distinct node whose first operand is itself. The C API
/// has no distinct nodes: a uniqued node built over a temporary one becomes distinct when the
/// temporary is replaced by the node itself (LLVM drops uniquing for self-reference cycles).
/// </summary>
public static unsafe partial class LLVM
{
    /// <summary>LLVMMDStringInContext2</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMMDStringInContext2")]
    public static partial LLVMMetadataRef MDStringInContext2(LLVMContextRef context, byte* text, nuint length);

    /// <summary>LLVMMDNodeInContext2</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMMDNodeInContext2")]
    public static partial LLVMMetadataRef MDNodeInContext2(LLVMContextRef context, LLVMMetadataRef* operands, nuint count);

    /// <summary>LLVMTemporaryMDNode (llvm-c/DebugInfo.h)</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMTemporaryMDNode")]
    public static partial LLVMMetadataRef TemporaryMDNode(LLVMContextRef context, LLVMMetadataRef* operands, nuint count);

    /// <summary>LLVMMetadataReplaceAllUsesWith (llvm-c/DebugInfo.h): replaces and deletes the temporary node.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMMetadataReplaceAllUsesWith")]
    public static partial void MetadataReplaceAllUsesWith(LLVMMetadataRef temporary, LLVMMetadataRef replacement);

    /// <summary>LLVMValueAsMetadata: a constant as a metadata operand (a loop hint's flag).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMValueAsMetadata")]
    public static partial LLVMMetadataRef ValueAsMetadata(LLVMValueRef value);

    /// <summary>LLVMMetadataAsValue</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMMetadataAsValue")]
    public static partial LLVMValueRef MetadataAsValue(LLVMContextRef context, LLVMMetadataRef metadata);

    /// <summary>LLVMGetMDKindIDInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetMDKindIDInContext")]
    public static partial uint GetMDKindIDInContext(LLVMContextRef context, byte* name, uint length);

    /// <summary>LLVMSetMetadata: attaches <paramref name="node"/> (a metadata value) to an instruction under <paramref name="kind"/>.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMSetMetadata")]
    public static partial void SetMetadata(LLVMValueRef instruction, uint kind, LLVMValueRef node);
}
