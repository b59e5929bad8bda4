using System.Text.RegularExpressions;
using ModelC.Backend.Cpu;
using ModelC.Llvm;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Tests;

/// <summary>
/// Loops emitted inside <see cref="LlvmEmitter.WithoutUnrolling"/> carry a loop ID that LLVM
/// honours: a distinct, self-referencing node with <c>llvm.loop.unroll.disable</c> (a malformed
/// one would be ignored silently, and only compile time would tell). A loop of four calls is
/// unrolled completely at O3 without the hint and stays a loop with it.
/// </summary>
public sealed partial class LoopUnrollHintTests
{
    [Fact]
    public void OnlyLoopsEmittedWithoutUnrollingCarryTheHint()
    {
        var ir = Module(unrolling: false, optimise: false);
        Assert.Matches(LoopId(), ir);
        Assert.Contains("!{!\"llvm.loop.unroll.disable\"}", ir);
        Assert.DoesNotContain("llvm.loop", Module(unrolling: true, optimise: false));
    }

    [Theory]
    [InlineData(true, 4)]
    [InlineData(false, 1)]
    public void O3UnrollsTheLoopOnlyWithoutTheHint(bool unrolling, int calls) =>
        Assert.Equal(calls, Regex.Count(Module(unrolling, optimise: true), @"call void @g\("));

    // for (i = 0; i < 4; i++) g(i); in f, optionally optimised at O3; the module, verified and printed.
    private static string Module(bool unrolling, bool optimise)
    {
        _ = LlvmLibrary.Path;
        var context = LLVM.ContextCreate();
        var module = LLVM.ModuleCreateWithNameInContext("loop", context);
        var builder = LLVM.CreateBuilderInContext(context);
        var options = LLVM.CreatePassBuilderOptions();
        try
        {
            var e = new LlvmEmitter(context, module, builder);
            var callee = e.FunctionType(e.Void, e.I64);
            var g = e.AddFunction("g", callee);
            var f = e.AddFunction("f", e.FunctionType(e.Void));
            e.PositionAtEnd(e.AppendBlock(f, "entry"));
            void Loop() => e.For(e.Int(0), e.Int(4), i => e.Call(callee, g, i));
            if (unrolling)
            {
                Loop();
            }
            else
            {
                e.WithoutUnrolling(Loop);
            }
            LLVM.BuildRetVoid(builder);
            var invalid = LLVM.VerifyModule(module, LLVMVerifierFailureAction.LLVMReturnStatusAction, out var message) != 0;
            var error = LLVM.TakeMessage(message);
            Assert.False(invalid, error);
            if (optimise)
            {
                LLVM.ThrowIfError(LLVM.RunPasses(module, "default<O3>", default, options), "optimising");
            }
            return LLVM.TakeMessage(LLVM.PrintModuleToString(module));
        }
        finally
        {
            LLVM.DisposePassBuilderOptions(options);
            LLVM.DisposeBuilder(builder);
            LLVM.DisposeModule(module);
            LLVM.ContextDispose(context);
        }
    }

    [GeneratedRegex(@"!llvm\.loop (![0-9]+)[\s\S]*\1 = distinct !\{\1, ![0-9]+\}")]
    private static partial Regex LoopId();
}
