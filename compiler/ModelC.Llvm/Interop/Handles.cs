namespace ModelC.Llvm.Interop;

// LLVM-C's opaque reference types, one typed handle each so that a module cannot be passed where
// a builder is expected. They own nothing: lifetimes follow the LLVM-C rules of each function.

/// <summary>LLVMContextRef</summary>
public readonly record struct LLVMContextRef(nint Handle);

/// <summary>LLVMModuleRef</summary>
public readonly record struct LLVMModuleRef(nint Handle);

/// <summary>LLVMTypeRef</summary>
public readonly record struct LLVMTypeRef(nint Handle);

/// <summary>LLVMValueRef</summary>
public readonly record struct LLVMValueRef(nint Handle);

/// <summary>LLVMBasicBlockRef</summary>
public readonly record struct LLVMBasicBlockRef(nint Handle);

/// <summary>LLVMBuilderRef</summary>
public readonly record struct LLVMBuilderRef(nint Handle);

/// <summary>LLVMTargetRef</summary>
public readonly record struct LLVMTargetRef(nint Handle);

/// <summary>LLVMTargetMachineRef</summary>
public readonly record struct LLVMTargetMachineRef(nint Handle);

/// <summary>LLVMTargetDataRef</summary>
public readonly record struct LLVMTargetDataRef(nint Handle);

/// <summary>LLVMMemoryBufferRef</summary>
public readonly record struct LLVMMemoryBufferRef(nint Handle);

/// <summary>LLVMErrorRef: null means success.</summary>
public readonly record struct LLVMErrorRef(nint Handle)
{
    /// <summary>True when the call failed.</summary>
    public bool IsError => Handle != 0;
}

/// <summary>LLVMPassBuilderOptionsRef</summary>
public readonly record struct LLVMPassBuilderOptionsRef(nint Handle);

/// <summary>LLVMOrcLLJITRef</summary>
public readonly record struct LLVMOrcLLJITRef(nint Handle);

/// <summary>LLVMOrcThreadSafeContextRef</summary>
public readonly record struct LLVMOrcThreadSafeContextRef(nint Handle);

/// <summary>LLVMOrcThreadSafeModuleRef</summary>
public readonly record struct LLVMOrcThreadSafeModuleRef(nint Handle);

/// <summary>LLVMOrcJITDylibRef</summary>
public readonly record struct LLVMOrcJITDylibRef(nint Handle);

/// <summary>LLVMAttributeRef</summary>
public readonly record struct LLVMAttributeRef(nint Handle);

/// <summary>LLVMOrcDefinitionGeneratorRef</summary>
public readonly record struct LLVMOrcDefinitionGeneratorRef(nint Handle);

/// <summary>LLVMMetadataRef</summary>
public readonly record struct LLVMMetadataRef(nint Handle);
