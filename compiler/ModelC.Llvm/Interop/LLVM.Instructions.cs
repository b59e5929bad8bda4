using System.Runtime.InteropServices;

namespace ModelC.Llvm.Interop;

// The rest of llvm-c/Core.h that code generation needs: arithmetic, comparisons, conversions,
// calls, vectors, attributes and alignment. Builder functions take an instruction name, which
// codegen leaves empty (LLVM numbers values itself).
public static unsafe partial class LLVM
{
    /// <summary>LLVMDoubleTypeInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMDoubleTypeInContext")]
    public static partial LLVMTypeRef DoubleTypeInContext(LLVMContextRef context);

    /// <summary>LLVMInt8TypeInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMInt8TypeInContext")]
    public static partial LLVMTypeRef Int8TypeInContext(LLVMContextRef context);

    /// <summary>LLVMVectorType</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMVectorType")]
    public static partial LLVMTypeRef VectorType(LLVMTypeRef elementType, uint elementCount);

    /// <summary>LLVMTypeOf</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMTypeOf")]
    public static partial LLVMTypeRef TypeOf(LLVMValueRef value);

    /// <summary>LLVMGetUndef</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetUndef")]
    public static partial LLVMValueRef GetUndef(LLVMTypeRef type);

    /// <summary>LLVMConstNull</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMConstNull")]
    public static partial LLVMValueRef ConstNull(LLVMTypeRef type);

    /// <summary>LLVMGetNamedFunction</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetNamedFunction", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef GetNamedFunction(LLVMModuleRef module, string name);

    /// <summary>LLVMGetBasicBlockParent</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetBasicBlockParent")]
    public static partial LLVMValueRef GetBasicBlockParent(LLVMBasicBlockRef block);

    /// <summary>LLVMGetInsertBlock</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetInsertBlock")]
    public static partial LLVMBasicBlockRef GetInsertBlock(LLVMBuilderRef builder);

    /// <summary>LLVMSetAlignment (loads, stores, allocas)</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMSetAlignment")]
    public static partial void SetAlignment(LLVMValueRef value, uint bytes);

    /// <summary>LLVMSetLinkage</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMSetLinkage")]
    public static partial void SetLinkage(LLVMValueRef global, LLVMLinkage linkage);

    /// <summary>LLVMSetVisibility</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMSetVisibility")]
    public static partial void SetVisibility(LLVMValueRef global, LLVMVisibility visibility);

    /// <summary>LLVMGetEnumAttributeKindForName</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetEnumAttributeKindForName")]
    public static partial uint GetEnumAttributeKindForName(byte* name, nuint length);

    /// <summary>LLVMCreateEnumAttribute</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMCreateEnumAttribute")]
    public static partial LLVMAttributeRef CreateEnumAttribute(LLVMContextRef context, uint kind, ulong value);

    /// <summary>LLVMCreateStringAttribute: a <c>"key"="value"</c> attribute.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMCreateStringAttribute")]
    public static partial LLVMAttributeRef CreateStringAttribute(LLVMContextRef context, byte* key, uint keyLength, byte* value, uint valueLength);

    /// <summary>LLVMGetFirstFunction</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetFirstFunction")]
    public static partial LLVMValueRef GetFirstFunction(LLVMModuleRef module);

    /// <summary>LLVMGetNextFunction</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetNextFunction")]
    public static partial LLVMValueRef GetNextFunction(LLVMValueRef function);

    /// <summary>LLVMAddAttributeAtIndex (index 0 is the return value, 1.. the parameters, −1 the function)</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMAddAttributeAtIndex")]
    public static partial void AddAttributeAtIndex(LLVMValueRef function, uint index, LLVMAttributeRef attribute);

    // ---- arithmetic

    /// <summary>LLVMBuildSub</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildSub", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildSub(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildNSWAdd</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildNSWAdd", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildNSWAdd(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildNSWMul</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildNSWMul", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildNSWMul(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildSDiv</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildSDiv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildSDiv(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildSRem</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildSRem", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildSRem(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildUDiv</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildUDiv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildUDiv(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildURem</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildURem", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildURem(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildNeg</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildNeg", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildNeg(LLVMBuilderRef builder, LLVMValueRef value, string name);

    /// <summary>LLVMBuildAnd</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildAnd", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildAnd(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildOr</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildOr", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildOr(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildXor</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildXor", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildXor(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildShl</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildShl", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildShl(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildFSub</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildFSub", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildFSub(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildFDiv</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildFDiv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildFDiv(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildFNeg</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildFNeg", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildFNeg(LLVMBuilderRef builder, LLVMValueRef value, string name);

    /// <summary>LLVMBuildFCmp</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildFCmp", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildFCmp(LLVMBuilderRef builder, LLVMRealPredicate predicate, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildSelect</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildSelect", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildSelect(LLVMBuilderRef builder, LLVMValueRef condition, LLVMValueRef then, LLVMValueRef otherwise, string name);

    /// <summary>LLVMBuildLShr</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildLShr", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildLShr(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildAShr</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildAShr", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildAShr(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildUIToFP</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildUIToFP", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildUIToFP(LLVMBuilderRef builder, LLVMValueRef value, LLVMTypeRef type, string name);

    // ---- conversions

    /// <summary>LLVMBuildSIToFP</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildSIToFP", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildSIToFP(LLVMBuilderRef builder, LLVMValueRef value, LLVMTypeRef type, string name);

    /// <summary>LLVMBuildFPToSI</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildFPToSI", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildFPToSI(LLVMBuilderRef builder, LLVMValueRef value, LLVMTypeRef type, string name);

    /// <summary>LLVMBuildZExt</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildZExt", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildZExt(LLVMBuilderRef builder, LLVMValueRef value, LLVMTypeRef type, string name);

    /// <summary>LLVMBuildSExt</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildSExt", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildSExt(LLVMBuilderRef builder, LLVMValueRef value, LLVMTypeRef type, string name);

    /// <summary>LLVMBuildTrunc</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildTrunc", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildTrunc(LLVMBuilderRef builder, LLVMValueRef value, LLVMTypeRef type, string name);

    /// <summary>LLVMBuildBitCast</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildBitCast", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildBitCast(LLVMBuilderRef builder, LLVMValueRef value, LLVMTypeRef type, string name);

    // ---- calls and vectors

    /// <summary>LLVMBuildCall2</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildCall2", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildCall2(LLVMBuilderRef builder, LLVMTypeRef functionType, LLVMValueRef function, LLVMValueRef* arguments, uint argumentCount, string name);

    /// <summary>LLVMBuildInsertElement</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildInsertElement", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildInsertElement(LLVMBuilderRef builder, LLVMValueRef vector, LLVMValueRef element, LLVMValueRef index, string name);

    /// <summary>LLVMBuildExtractElement</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildExtractElement", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildExtractElement(LLVMBuilderRef builder, LLVMValueRef vector, LLVMValueRef index, string name);

    /// <summary>LLVMBuildShuffleVector</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildShuffleVector", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildShuffleVector(LLVMBuilderRef builder, LLVMValueRef first, LLVMValueRef second, LLVMValueRef mask, string name);

    /// <summary>LLVMBuildAlloca</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildAlloca", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildAlloca(LLVMBuilderRef builder, LLVMTypeRef type, string name);
}

/// <summary>LLVMRealPredicate: floating-point comparisons (ordered ones are false on NaN).</summary>
public enum LLVMRealPredicate
{
    /// <summary>Ordered and equal.</summary>
    OEQ = 1,

    /// <summary>Ordered and greater.</summary>
    OGT = 2,

    /// <summary>Ordered and greater or equal.</summary>
    OGE = 3,

    /// <summary>Ordered and less.</summary>
    OLT = 4,

    /// <summary>Ordered and less or equal.</summary>
    OLE = 5,

    /// <summary>Neither operand is NaN.</summary>
    ORD = 7,

    /// <summary>Either operand is NaN.</summary>
    UNO = 8,

    /// <summary>Unordered or not equal.</summary>
    UNE = 14,
}

/// <summary>LLVMLinkage (the values codegen uses).</summary>
public enum LLVMLinkage
{
    /// <summary>Visible to the linker.</summary>
    External = 0,

    /// <summary>Local to the module.</summary>
    Internal = 8,
}

/// <summary>LLVMVisibility (the values codegen uses).</summary>
public enum LLVMVisibility
{
    /// <summary>Exported from a shared library (and interposable).</summary>
    Default = 0,

    /// <summary>Linked between the objects of one library or JIT, never exported from it.</summary>
    Hidden = 1,
}
