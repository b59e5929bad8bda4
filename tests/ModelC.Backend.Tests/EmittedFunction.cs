using ModelC.Backend.Cpu;
using ModelC.Llvm;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Tests;

/// <summary>
/// The unoptimised, verified IR of one function <c>f</c> whose body an <see cref="ExprEmitter"/>
/// writes, or of a module an emitter fills: for tests that look at what the emitter produces
/// before LLVM's passes tidy it.
/// </summary>
internal static class EmittedFunction
{
    /// <summary>Emits <c>f</c> of <paramref name="type"/> with <paramref name="body"/>'s return value and prints the module.</summary>
    /// <param name="type">The function type, made with the emitter.</param>
    /// <param name="body">Emits the body given the IR emitter, the function (for its parameters) and the expression emitter; returns the value to return.</param>
    public static string Ir(Func<LlvmEmitter, LLVMTypeRef> type, Func<LlvmEmitter, LLVMValueRef, ExprEmitter, LLVMValueRef> body) =>
        Module("emitted", e =>
        {
            var function = e.AddFunction("f", type(e));
            e.PositionAtEnd(e.AppendBlock(function, "entry"));
            var x = new ExprEmitter(e, new MathFunctions(e), new Dictionary<int, LLVMValueRef>(), [], []);
            LLVM.BuildRet(e.Builder, body(e, function, x));
        });

    /// <summary>The verified IR of a module named <paramref name="name"/> that <paramref name="define"/> fills.</summary>
    public static string Module(string name, Action<LlvmEmitter> define)
    {
        _ = LlvmLibrary.Path;
        var context = LLVM.ContextCreate();
        var module = LLVM.ModuleCreateWithNameInContext(name, context);
        var builder = LLVM.CreateBuilderInContext(context);
        try
        {
            define(new LlvmEmitter(context, module, builder));
            // A value reused where it does not dominate its use is what the verifier catches.
            var invalid = LLVM.VerifyModule(module, LLVMVerifierFailureAction.LLVMReturnStatusAction, out var message) != 0;
            var error = LLVM.TakeMessage(message);
            Assert.False(invalid, error);
            return LLVM.TakeMessage(LLVM.PrintModuleToString(module));
        }
        finally
        {
            LLVM.DisposeBuilder(builder);
            LLVM.DisposeModule(module);
            LLVM.ContextDispose(context);
        }
    }
}
