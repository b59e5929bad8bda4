using System.Runtime.InteropServices;

namespace ModelC.Llvm.Interop;

/// <summary>
/// Bindings to the LLVM C API. Each method is the LLVM-C function of the same name without its
/// <c>LLVM</c> prefix (<c>LLVM.ContextCreate</c> is <c>LLVMContextCreate</c>); this part is llvm-c/Core.h.
/// Only typed-pointer-free (<c>*2</c>) builder functions are bound: LLVM 15 and later use opaque pointers.
/// </summary>
public static unsafe partial class LLVM
{
    /// <summary>The logical library name that <see cref="LlvmLibrary"/> resolves.</summary>
    internal const string LibraryName = "LLVM";

    // Binding the first call needs the resolver; loading itself waits for that call, so a
    // missing LLVM surfaces as LlvmNotFoundException there, not as a type initialisation error.
    static LLVM() => LlvmLibrary.RegisterResolver();

    /// <summary>Copies a message LLVM allocated and frees it with <c>LLVMDisposeMessage</c>.</summary>
    public static string TakeMessage(nint message)
    {
        if (message == 0)
        {
            return "";
        }
        var text = Marshal.PtrToStringUTF8(message) ?? "";
        DisposeMessage(message);
        return text;
    }

    [LibraryImport(LibraryName, EntryPoint = "LLVMDisposeMessage")]
    internal static partial void DisposeMessage(nint message);

    // ---- contexts and modules

    /// <summary>LLVMContextCreate</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMContextCreate")]
    public static partial LLVMContextRef ContextCreate();

    /// <summary>LLVMContextDispose</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMContextDispose")]
    public static partial void ContextDispose(LLVMContextRef context);

    /// <summary>LLVMModuleCreateWithNameInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMModuleCreateWithNameInContext", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMModuleRef ModuleCreateWithNameInContext(string name, LLVMContextRef context);

    /// <summary>LLVMDisposeModule</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMDisposeModule")]
    public static partial void DisposeModule(LLVMModuleRef module);

    /// <summary>LLVMSetTarget</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMSetTarget", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void SetTarget(LLVMModuleRef module, string triple);

    /// <summary>LLVMPrintModuleToString (the result is owned: pass it to <see cref="TakeMessage"/>).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMPrintModuleToString")]
    public static partial nint PrintModuleToString(LLVMModuleRef module);

    /// <summary>LLVMVerifyModule (llvm-c/Analysis.h): 0 when valid.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMVerifyModule")]
    public static partial int VerifyModule(LLVMModuleRef module, LLVMVerifierFailureAction action, out nint message);

    // ---- types

    /// <summary>LLVMFloatTypeInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMFloatTypeInContext")]
    public static partial LLVMTypeRef FloatTypeInContext(LLVMContextRef context);

    /// <summary>LLVMInt1TypeInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMInt1TypeInContext")]
    public static partial LLVMTypeRef Int1TypeInContext(LLVMContextRef context);

    /// <summary>LLVMInt32TypeInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMInt32TypeInContext")]
    public static partial LLVMTypeRef Int32TypeInContext(LLVMContextRef context);

    /// <summary>LLVMInt64TypeInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMInt64TypeInContext")]
    public static partial LLVMTypeRef Int64TypeInContext(LLVMContextRef context);

    /// <summary>LLVMVoidTypeInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMVoidTypeInContext")]
    public static partial LLVMTypeRef VoidTypeInContext(LLVMContextRef context);

    /// <summary>LLVMPointerTypeInContext: the opaque pointer of an address space.</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMPointerTypeInContext")]
    public static partial LLVMTypeRef PointerTypeInContext(LLVMContextRef context, uint addressSpace);

    /// <summary>LLVMFunctionType</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMFunctionType")]
    public static partial LLVMTypeRef FunctionType(LLVMTypeRef returnType, LLVMTypeRef* parameterTypes, uint parameterCount, int isVarArg);

    // ---- values and functions

    /// <summary>LLVMAddFunction</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMAddFunction", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef AddFunction(LLVMModuleRef module, string name, LLVMTypeRef functionType);

    /// <summary>LLVMAddGlobal</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMAddGlobal", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef AddGlobal(LLVMModuleRef module, LLVMTypeRef type, string name);

    /// <summary>LLVMSetInitializer</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMSetInitializer")]
    public static partial void SetInitializer(LLVMValueRef global, LLVMValueRef constant);

    /// <summary>LLVMSetGlobalConstant</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMSetGlobalConstant")]
    public static partial void SetGlobalConstant(LLVMValueRef global, int isConstant);

    /// <summary>LLVMConstStringInContext: an i8 array of <paramref name="length"/> bytes (no terminating zero added when <paramref name="dontNullTerminate"/> is 1).</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMConstStringInContext")]
    public static partial LLVMValueRef ConstStringInContext(LLVMContextRef context, byte* bytes, uint length, int dontNullTerminate);

    /// <summary>LLVMGetParam</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMGetParam")]
    public static partial LLVMValueRef GetParam(LLVMValueRef function, uint index);

    /// <summary>LLVMConstInt</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMConstInt")]
    public static partial LLVMValueRef ConstInt(LLVMTypeRef type, ulong value, int signExtend);

    /// <summary>LLVMConstReal</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMConstReal")]
    public static partial LLVMValueRef ConstReal(LLVMTypeRef type, double value);

    /// <summary>LLVMAppendBasicBlockInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMAppendBasicBlockInContext", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMBasicBlockRef AppendBasicBlockInContext(LLVMContextRef context, LLVMValueRef function, string name);

    /// <summary>LLVMAddIncoming</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMAddIncoming")]
    public static partial void AddIncoming(LLVMValueRef phi, LLVMValueRef* values, LLVMBasicBlockRef* blocks, uint count);

    // ---- the instruction builder

    /// <summary>LLVMCreateBuilderInContext</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMCreateBuilderInContext")]
    public static partial LLVMBuilderRef CreateBuilderInContext(LLVMContextRef context);

    /// <summary>LLVMDisposeBuilder</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMDisposeBuilder")]
    public static partial void DisposeBuilder(LLVMBuilderRef builder);

    /// <summary>LLVMPositionBuilderAtEnd</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMPositionBuilderAtEnd")]
    public static partial void PositionBuilderAtEnd(LLVMBuilderRef builder, LLVMBasicBlockRef block);

    /// <summary>LLVMBuildRet</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildRet")]
    public static partial LLVMValueRef BuildRet(LLVMBuilderRef builder, LLVMValueRef value);

    /// <summary>LLVMBuildRetVoid</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildRetVoid")]
    public static partial LLVMValueRef BuildRetVoid(LLVMBuilderRef builder);

    /// <summary>LLVMBuildBr</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildBr")]
    public static partial LLVMValueRef BuildBr(LLVMBuilderRef builder, LLVMBasicBlockRef destination);

    /// <summary>LLVMBuildCondBr</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildCondBr")]
    public static partial LLVMValueRef BuildCondBr(LLVMBuilderRef builder, LLVMValueRef condition, LLVMBasicBlockRef then, LLVMBasicBlockRef otherwise);

    /// <summary>LLVMBuildAdd</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildAdd", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildAdd(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildMul</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildMul", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildMul(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildFAdd</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildFAdd", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildFAdd(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildFMul</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildFMul", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildFMul(LLVMBuilderRef builder, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildICmp</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildICmp", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildICmp(LLVMBuilderRef builder, LLVMIntPredicate predicate, LLVMValueRef left, LLVMValueRef right, string name);

    /// <summary>LLVMBuildPhi</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildPhi", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildPhi(LLVMBuilderRef builder, LLVMTypeRef type, string name);

    /// <summary>LLVMBuildGEP2</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildGEP2", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildGEP2(LLVMBuilderRef builder, LLVMTypeRef elementType, LLVMValueRef pointer, LLVMValueRef* indices, uint indexCount, string name);

    /// <summary>LLVMBuildLoad2</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildLoad2", StringMarshalling = StringMarshalling.Utf8)]
    public static partial LLVMValueRef BuildLoad2(LLVMBuilderRef builder, LLVMTypeRef type, LLVMValueRef pointer, string name);

    /// <summary>LLVMBuildStore</summary>
    [LibraryImport(LibraryName, EntryPoint = "LLVMBuildStore")]
    public static partial LLVMValueRef BuildStore(LLVMBuilderRef builder, LLVMValueRef value, LLVMValueRef pointer);
}
