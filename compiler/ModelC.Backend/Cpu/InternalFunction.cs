using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// A helper function local to the module (internal linkage, not inlined), emitted on first use
/// and found by name afterwards, so every caller in the module shares one copy.
/// </summary>
internal static class InternalFunction
{
    /// <summary>The function <paramref name="name"/>, emitted by <paramref name="body"/> (given the parameters) if the module has none yet; the builder is left where it was.</summary>
    public static LLVMValueRef GetOrAdd(LlvmEmitter e, string name, LLVMTypeRef type, int parameters, Action<LLVMValueRef[]> body)
    {
        var existing = LLVM.GetNamedFunction(e.Module, name);
        if (existing.Handle != 0)
        {
            return existing;
        }
        var function = e.AddFunction(name, type);
        LLVM.SetLinkage(function, LLVMLinkage.Internal);
        e.AddFunctionAttribute(function, "noinline");
        EmitBody(e, function, parameters, body);
        return function;
    }

    /// <summary>Emits the body of <paramref name="function"/> (returning void, unwinding never) by <paramref name="body"/>; the builder is left where it was.</summary>
    public static void EmitBody(LlvmEmitter e, LLVMValueRef function, int parameters, Action<LLVMValueRef[]> body)
    {
        var caller = LLVM.GetInsertBlock(e.Builder);
        e.AddFunctionAttribute(function, "nounwind");
        e.PositionAtEnd(e.AppendBlock(function, "entry"));
        body([.. Enumerable.Range(0, parameters).Select(i => LLVM.GetParam(function, (uint)i))]);
        LLVM.BuildRetVoid(e.Builder);
        if (caller.Handle != 0)
        {
            e.PositionAtEnd(caller);
        }
    }
}
