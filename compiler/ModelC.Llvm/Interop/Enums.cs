namespace ModelC.Llvm.Interop;

// The LLVM-C enumerations the bindings use, with LLVM-C's values.

/// <summary>LLVMIntPredicate</summary>
public enum LLVMIntPredicate
{
    /// <summary>equal</summary>
    LLVMIntEQ = 32,
    /// <summary>not equal</summary>
    LLVMIntNE,
    /// <summary>unsigned greater than</summary>
    LLVMIntUGT,
    /// <summary>unsigned greater or equal</summary>
    LLVMIntUGE,
    /// <summary>unsigned less than</summary>
    LLVMIntULT,
    /// <summary>unsigned less or equal</summary>
    LLVMIntULE,
    /// <summary>signed greater than</summary>
    LLVMIntSGT,
    /// <summary>signed greater or equal</summary>
    LLVMIntSGE,
    /// <summary>signed less than</summary>
    LLVMIntSLT,
    /// <summary>signed less or equal</summary>
    LLVMIntSLE,
}

/// <summary>LLVMVerifierFailureAction</summary>
public enum LLVMVerifierFailureAction
{
    /// <summary>print to stderr and abort</summary>
    LLVMAbortProcessAction,
    /// <summary>print to stderr and return 1</summary>
    LLVMPrintMessageAction,
    /// <summary>return 1, print nothing</summary>
    LLVMReturnStatusAction,
}

/// <summary>LLVMCodeGenOptLevel</summary>
public enum LLVMCodeGenOptLevel
{
    /// <summary>-O0</summary>
    LLVMCodeGenLevelNone,
    /// <summary>-O1</summary>
    LLVMCodeGenLevelLess,
    /// <summary>-O2</summary>
    LLVMCodeGenLevelDefault,
    /// <summary>-O3</summary>
    LLVMCodeGenLevelAggressive,
}

/// <summary>LLVMRelocMode</summary>
public enum LLVMRelocMode
{
    /// <summary>the target's default</summary>
    LLVMRelocDefault,
    /// <summary>static</summary>
    LLVMRelocStatic,
    /// <summary>position-independent code (shared libraries)</summary>
    LLVMRelocPIC,
}

/// <summary>LLVMCodeModel</summary>
public enum LLVMCodeModel
{
    /// <summary>the target's default</summary>
    LLVMCodeModelDefault,
    /// <summary>the JIT's default</summary>
    LLVMCodeModelJITDefault,
    /// <summary>tiny</summary>
    LLVMCodeModelTiny,
    /// <summary>small: code and data within 2 GB of each other</summary>
    LLVMCodeModelSmall,
    /// <summary>kernel</summary>
    LLVMCodeModelKernel,
    /// <summary>medium</summary>
    LLVMCodeModelMedium,
    /// <summary>large: no assumption about distances</summary>
    LLVMCodeModelLarge,
}

/// <summary>LLVMCodeGenFileType</summary>
public enum LLVMCodeGenFileType
{
    /// <summary>assembly text (PTX for NVPTX)</summary>
    LLVMAssemblyFile,
    /// <summary>an object file</summary>
    LLVMObjectFile,
}
