using System.Runtime.InteropServices;
using ModelC.Llvm.Interop;

namespace ModelC.Llvm.Tests;

/// <summary>
/// The interop layer against the libLLVM found on this machine: finding it, building and verifying
/// a module, the O3 pipeline, object emission and the ORC JIT running the code it compiled.
/// </summary>
public sealed unsafe class BindingTests
{
    [Fact]
    public void FindsASupportedLlvm()
    {
        Assert.NotEmpty(LlvmLibrary.Path);
        Assert.InRange(LlvmLibrary.MajorVersion, LlvmLibrary.MinimumVersion, LlvmLibrary.MaximumVersion);
    }

    [Fact]
    public void CandidatesGoFromNewestToOldest()
    {
        var candidates = LlvmLibrary.Candidates().ToList();
        Assert.Equal("libLLVM.so.19.1", candidates[0]);
        Assert.Contains("libLLVM-15.so.1", candidates);
        Assert.True(candidates.IndexOf("libLLVM-16.so.1") < candidates.IndexOf("libLLVM-15.so.1"));
    }

    [Fact]
    public void TheHostIsX8664()
    {
        Assert.StartsWith("x86_64", NativeTarget.HostTriple, StringComparison.Ordinal);
        Assert.NotEmpty(NativeTarget.HostCpu);
    }

    [Fact]
    public void AWellFormedModuleVerifiesAndPrints()
    {
        var context = LLVM.ContextCreate();
        var module = AxpyModule.Build(context);
        Assert.Equal(0, LLVM.VerifyModule(module, LLVMVerifierFailureAction.LLVMReturnStatusAction, out var message));
        LLVM.TakeMessage(message);
        var text = LLVM.TakeMessage(LLVM.PrintModuleToString(module));
        Assert.Contains("define void @axpy(ptr %0, ptr %1, i64 %2, float %3)", text, StringComparison.Ordinal);
        LLVM.DisposeModule(module);
        LLVM.ContextDispose(context);
    }

    [Fact]
    public void ABlockWithoutATerminatorFailsVerificationWithAMessage()
    {
        var context = LLVM.ContextCreate();
        var module = LLVM.ModuleCreateWithNameInContext("broken", context);
        var function = LLVM.AddFunction(module, "f", LLVM.FunctionType(LLVM.VoidTypeInContext(context), null, 0, 0));
        LLVM.AppendBasicBlockInContext(context, function, "entry");
        Assert.NotEqual(0, LLVM.VerifyModule(module, LLVMVerifierFailureAction.LLVMReturnStatusAction, out var message));
        Assert.Contains("terminator", LLVM.TakeMessage(message), StringComparison.Ordinal);
        LLVM.DisposeModule(module);
        LLVM.ContextDispose(context);
    }

    [Fact]
    public void AnUnknownPassPipelineIsAnLlvmException()
    {
        var context = LLVM.ContextCreate();
        var module = AxpyModule.Build(context);
        var machine = NativeTarget.CreateMachine();
        var options = LLVM.CreatePassBuilderOptions();
        var error = Assert.Throws<LlvmException>(() => LLVM.ThrowIfError(LLVM.RunPasses(module, "no-such-pass", machine, options), "optimising"));
        Assert.StartsWith("optimising: ", error.Message, StringComparison.Ordinal);
        LLVM.DisposePassBuilderOptions(options);
        LLVM.DisposeTargetMachine(machine);
        LLVM.DisposeModule(module);
        LLVM.ContextDispose(context);
    }

    [Fact]
    public void AnUnknownTripleIsAnLlvmException()
    {
        var error = Assert.Throws<LlvmException>(() => NativeTarget.CreateMachine("nonsense-unknown-none"));
        Assert.StartsWith("unknown target 'nonsense-unknown-none': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmitsAnElfObjectForTheHost()
    {
        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, AxpyObject()[..4]);
    }

    [Fact]
    public void AnObjectFileAddedToTheJitRuns()
    {
        var bytes = AxpyObject();
        LLVM.ThrowIfError(LLVM.OrcCreateLLJIT(out var jit, 0), "creating the JIT");
        fixed (byte* start = bytes)
        {
            // The JIT takes the copy; the managed array may go.
            var copy = LLVM.CreateMemoryBufferWithMemoryRangeCopy(start, (nuint)bytes.Length, "axpy.o");
            LLVM.ThrowIfError(LLVM.OrcLLJITAddObjectFile(jit, LLVM.OrcLLJITGetMainJITDylib(jit), copy), "adding the object");
        }
        LLVM.ThrowIfError(LLVM.OrcLLJITLookup(jit, out var address, AxpyModule.FunctionName), "looking up axpy");
        var axpy = (delegate* unmanaged<float*, float*, long, float, void>)address;
        var x = new float[] { 1, 2, 3 };
        var y = new float[] { 10, 20, 30 };
        fixed (float* px = x, py = y)
        {
            axpy(px, py, x.Length, 2f);
        }
        Assert.Equal([12f, 24f, 36f], y);
        LLVM.ThrowIfError(LLVM.OrcDisposeLLJIT(jit), "disposing the JIT");
    }

    [Fact]
    public void JitCompiledCodeAtO3ComputesAxpy()
    {
        NativeTarget.Initialize();
        var threadSafeContext = LLVM.OrcCreateNewThreadSafeContext();
        var module = AxpyModule.Build(LLVM.OrcThreadSafeContextGetContext(threadSafeContext));
        var machine = NativeTarget.CreateMachine();
        // The vectoriser's cost model needs the module to know its target.
        LLVM.SetTarget(module, NativeTarget.HostTriple);
        var layout = LLVM.CreateTargetDataLayout(machine);
        LLVM.SetModuleDataLayout(module, layout);
        LLVM.DisposeTargetData(layout);
        var options = LLVM.CreatePassBuilderOptions();
        LLVM.ThrowIfError(LLVM.RunPasses(module, "default<O3>", machine, options), "optimising");
        LLVM.DisposePassBuilderOptions(options);
        LLVM.DisposeTargetMachine(machine);
        // O3 vectorises the loop: its IR now has vector arithmetic.
        Assert.Matches(@"fmul <\d+ x float>", LLVM.TakeMessage(LLVM.PrintModuleToString(module)));

        LLVM.ThrowIfError(LLVM.OrcCreateLLJIT(out var jit, 0), "creating the JIT");
        LLVM.ThrowIfError(LLVM.OrcLLJITAddLLVMIRModule(jit, LLVM.OrcLLJITGetMainJITDylib(jit),
            LLVM.OrcCreateNewThreadSafeModule(module, threadSafeContext)), "adding the module");
        LLVM.OrcDisposeThreadSafeContext(threadSafeContext);
        LLVM.ThrowIfError(LLVM.OrcLLJITLookup(jit, out var address, AxpyModule.FunctionName), "looking up axpy");
        var axpy = (delegate* unmanaged<float*, float*, long, float, void>)address;

        const int N = 1003; // not a multiple of the vector width: the remainder loop runs too
        var x = new float[N];
        var y = new float[N];
        var expected = new float[N];
        for (var i = 0; i < N; i++)
        {
            x[i] = i * 0.5f;
            y[i] = 1 - i;
            expected[i] = y[i] + 3f * x[i];
        }
        fixed (float* px = x, py = y)
        {
            axpy(px, py, N, 3f);
        }
        Assert.Equal(expected, y);
        LLVM.ThrowIfError(LLVM.OrcDisposeLLJIT(jit), "disposing the JIT");
    }

    // The axpy module compiled for the host, as the bytes of an object file.
    private static byte[] AxpyObject()
    {
        var context = LLVM.ContextCreate();
        var module = AxpyModule.Build(context);
        var machine = NativeTarget.CreateMachine();
        LLVM.SetTarget(module, NativeTarget.HostTriple);
        Assert.Equal(0, LLVM.TargetMachineEmitToMemoryBuffer(machine, module, LLVMCodeGenFileType.LLVMObjectFile, out var error, out var buffer));
        LLVM.TakeMessage(error);
        var bytes = new ReadOnlySpan<byte>(LLVM.GetBufferStart(buffer), checked((int)LLVM.GetBufferSize(buffer))).ToArray();
        LLVM.DisposeMemoryBuffer(buffer);
        LLVM.DisposeTargetMachine(machine);
        LLVM.DisposeModule(module);
        LLVM.ContextDispose(context);
        return bytes;
    }
}
