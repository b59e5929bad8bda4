using ModelC.Backend.Targets;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// The function of a <see cref="SupportRoutine"/>: defined in the routine's own object and
/// declared in every kernel module that calls it. It has hidden visibility, so the objects of one
/// library or JIT link to it directly, and a library never exports it (two libraries loaded in one
/// process each keep their own).
/// </summary>
internal static class SupportFunction
{
    /// <summary>The declaration of <paramref name="routine"/>'s function in the module, added on first use.</summary>
    public static LLVMValueRef Declare(LlvmEmitter e, SupportRoutine routine, LLVMTypeRef type)
    {
        var existing = LLVM.GetNamedFunction(e.Module, routine.Name);
        if (existing.Handle != 0)
        {
            return existing;
        }
        var function = e.AddFunction(routine.Name, type);
        LLVM.SetVisibility(function, LLVMVisibility.Hidden);
        e.AddFunctionAttribute(function, "nounwind");
        return function;
    }

    /// <summary>Defines <paramref name="routine"/>'s function in the module by <paramref name="body"/> (given the parameters).</summary>
    public static void Define(LlvmEmitter e, SupportRoutine routine, LLVMTypeRef type, int parameters, Action<LLVMValueRef[]> body)
    {
        var function = e.AddFunction(routine.Name, type);
        LLVM.SetVisibility(function, LLVMVisibility.Hidden);
        InternalFunction.EmitBody(e, function, parameters, body);
    }
}
