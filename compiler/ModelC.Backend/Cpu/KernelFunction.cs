using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Cpu;

/// <summary>
/// The two functions every kernel exports — <c>void k(void** buffers, const int64_t* symbols,
/// int64_t begin, int64_t end, void* scratch)</c> and <c>int64_t k_extent(const int64_t* symbols)</c>
/// — with their prologues emitted: buffer pointers and symbol values loaded, an expression
/// emitter ready. Kernel emitters fill in the bodies.
/// </summary>
internal sealed class KernelFunction
{
    private KernelFunction(LlvmEmitter e, ExprEmitter expressions, LLVMValueRef begin, LLVMValueRef end, LLVMValueRef scratch)
    {
        E = e;
        Expressions = expressions;
        Begin = begin;
        End = end;
        Scratch = scratch;
    }

    public LlvmEmitter E { get; }

    public ExprEmitter Expressions { get; }

    /// <summary>The first parallel iteration this call computes.</summary>
    public LLVMValueRef Begin { get; }

    /// <summary>One past the last.</summary>
    public LLVMValueRef End { get; }

    /// <summary>This thread's scratch memory.</summary>
    public LLVMValueRef Scratch { get; }

    /// <summary>Starts the kernel function of <paramref name="kernel"/>; the builder is left in its body.</summary>
    public static KernelFunction Start(LlvmEmitter e, MathFunctions math, Kernel kernel, IReadOnlyList<string> symbolNames)
    {
        var type = e.FunctionType(e.Void, e.Ptr, e.Ptr, e.I64, e.I64, e.Ptr);
        var function = e.AddFunction(kernel.Symbol, type);
        e.AddFunctionAttribute(function, "nounwind");
        e.PositionAtEnd(e.AppendBlock(function, "entry"));
        var buffers = LLVM.GetParam(function, 0);
        var pointers = new Dictionary<int, LLVMValueRef>();
        var arguments = kernel.Arguments;
        for (var i = 0; i < arguments.Length; i++)
        {
            pointers[arguments[i].Id] = e.Load(e.Ptr, e.Gep(e.Ptr, buffers, e.Int(i)));
        }
        var symbols = LoadSymbols(e, LLVM.GetParam(function, 1), symbolNames.Count);
        var expressions = new ExprEmitter(e, math, pointers, symbolNames, symbols);
        return new KernelFunction(e, expressions, LLVM.GetParam(function, 2), LLVM.GetParam(function, 3), LLVM.GetParam(function, 4));
    }

    /// <summary>Ends the kernel function.</summary>
    public void Finish() => LLVM.BuildRetVoid(E.Builder);

    /// <summary>
    /// Emits <c>k_extent</c>: <paramref name="extent"/> (an index expression over symbols) evaluated
    /// from the symbol values.
    /// </summary>
    public static void EmitExtent(LlvmEmitter e, MathFunctions math, Kernel kernel, IReadOnlyList<string> symbolNames, Expr extent)
    {
        var function = e.AddFunction(kernel.Symbol + CpuCallingConvention.ExtentSuffix, e.FunctionType(e.I64, e.Ptr));
        e.PositionAtEnd(e.AppendBlock(function, "entry"));
        var symbols = LoadSymbols(e, LLVM.GetParam(function, 0), symbolNames.Count);
        var expressions = new ExprEmitter(e, math, new Dictionary<int, LLVMValueRef>(), symbolNames, symbols);
        LLVM.BuildRet(e.Builder, expressions.Emit(extent));
    }

    private static LLVMValueRef[] LoadSymbols(LlvmEmitter e, LLVMValueRef pointer, int count) =>
        [.. Enumerable.Range(0, count).Select(i => e.Load(e.I64, e.Gep(e.I64, pointer, e.Int(i))))];
}
