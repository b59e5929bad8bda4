using ModelC.Llvm.Interop;

namespace ModelC.Llvm.Tests;

/// <summary>
/// Builds, with the raw bindings, the module <c>void axpy(float* x, float* y, i64 n, float a)</c>
/// that computes y[i] += a·x[i]: a loop with a phi, GEPs, loads and stores, the shapes every kernel has.
/// </summary>
internal static unsafe class AxpyModule
{
    public const string FunctionName = "axpy";

    public static LLVMModuleRef Build(LLVMContextRef context)
    {
        var module = LLVM.ModuleCreateWithNameInContext("axpy_module", context);
        var f32 = LLVM.FloatTypeInContext(context);
        var i64 = LLVM.Int64TypeInContext(context);
        var ptr = LLVM.PointerTypeInContext(context, 0);
        var parameters = stackalloc LLVMTypeRef[] { ptr, ptr, i64, f32 };
        var type = LLVM.FunctionType(LLVM.VoidTypeInContext(context), parameters, 4, 0);
        var function = LLVM.AddFunction(module, FunctionName, type);
        var (x, y, n, a) = (LLVM.GetParam(function, 0), LLVM.GetParam(function, 1), LLVM.GetParam(function, 2), LLVM.GetParam(function, 3));

        var entry = LLVM.AppendBasicBlockInContext(context, function, "entry");
        var loop = LLVM.AppendBasicBlockInContext(context, function, "loop");
        var body = LLVM.AppendBasicBlockInContext(context, function, "body");
        var exit = LLVM.AppendBasicBlockInContext(context, function, "exit");
        var builder = LLVM.CreateBuilderInContext(context);

        LLVM.PositionBuilderAtEnd(builder, entry);
        LLVM.BuildBr(builder, loop);

        LLVM.PositionBuilderAtEnd(builder, loop);
        var i = LLVM.BuildPhi(builder, i64, "i");
        var more = LLVM.BuildICmp(builder, LLVMIntPredicate.LLVMIntSLT, i, n, "more");
        LLVM.BuildCondBr(builder, more, body, exit);

        LLVM.PositionBuilderAtEnd(builder, body);
        var index = stackalloc LLVMValueRef[] { i };
        var xi = LLVM.BuildGEP2(builder, f32, x, index, 1, "xi");
        var yi = LLVM.BuildGEP2(builder, f32, y, index, 1, "yi");
        var product = LLVM.BuildFMul(builder, a, LLVM.BuildLoad2(builder, f32, xi, "xv"), "ax");
        LLVM.BuildStore(builder, LLVM.BuildFAdd(builder, LLVM.BuildLoad2(builder, f32, yi, "yv"), product, "sum"), yi);
        var next = LLVM.BuildAdd(builder, i, LLVM.ConstInt(i64, 1, 0), "next");
        LLVM.BuildBr(builder, loop);

        var values = stackalloc LLVMValueRef[] { LLVM.ConstInt(i64, 0, 0), next };
        var blocks = stackalloc LLVMBasicBlockRef[] { entry, body };
        LLVM.AddIncoming(i, values, blocks, 2);

        LLVM.PositionBuilderAtEnd(builder, exit);
        LLVM.BuildRetVoid(builder);
        LLVM.DisposeBuilder(builder);
        return module;
    }
}
