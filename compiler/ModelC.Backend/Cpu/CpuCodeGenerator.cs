using ModelC.Backend.Kernels;
using ModelC.Llvm;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Turns a <see cref="KernelProgram"/> into an optimised LLVM module for a CPU: every kernel's
/// functions are emitted, the module is verified, then LLVM's <c>default&lt;O3&gt;</c> pipeline
/// runs with the target machine (so the vectoriser knows the vector width).
/// </summary>
public static class CpuCodeGenerator
{
    /// <summary>Bytes of scratch memory each thread needs to run <paramref name="program"/>.</summary>
    public static long ScratchBytes(KernelProgram program) =>
        program.Kernels.OfType<GemmKernel>().Select(k => k.Tiling.ScratchBytes).DefaultIfEmpty(0).Max();

    /// <summary>Emits and optimises <paramref name="program"/> in a new module of <paramref name="context"/>; the caller owns the module.</summary>
    /// <exception cref="LlvmException">LLVM rejected the module (a code generator bug) or the target.</exception>
    public static LLVMModuleRef Generate(KernelProgram program, CpuTarget target, LLVMContextRef context)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(target);
        var module = LLVM.ModuleCreateWithNameInContext(program.Name, context);
        var builder = LLVM.CreateBuilderInContext(context);
        var machine = NativeTarget.CreateMachine(target.Triple, target.Cpu, target.Features);
        try
        {
            var e = new LlvmEmitter(context, module, builder);
            var math = new MathFunctions(e);
            foreach (var kernel in program.Kernels)
            {
                switch (kernel)
                {
                    case MapKernel map:
                        MapKernelEmitter.Emit(e, math, map, program.Symbols);
                        break;
                    case GemmKernel gemm:
                        GemmKernelEmitter.Emit(e, math, gemm, program.Symbols);
                        break;
                    default:
                        throw new InvalidOperationException($"no CPU emitter for {kernel.GetType().Name}");
                }
            }
            if (LLVM.VerifyModule(module, LLVMVerifierFailureAction.LLVMReturnStatusAction, out var message) != 0)
            {
                throw new LlvmException($"the generated code for '{program.Name}' is invalid (a ModelC bug): {LLVM.TakeMessage(message)}");
            }
            LLVM.TakeMessage(message);
            LLVM.SetTarget(module, target.ResolvedTriple);
            var layout = LLVM.CreateTargetDataLayout(machine);
            LLVM.SetModuleDataLayout(module, layout);
            LLVM.DisposeTargetData(layout);
            var options = LLVM.CreatePassBuilderOptions();
            try
            {
                LLVM.ThrowIfError(LLVM.RunPasses(module, "default<O3>", machine, options), "optimising");
            }
            finally
            {
                LLVM.DisposePassBuilderOptions(options);
            }
            return module;
        }
        catch
        {
            LLVM.DisposeModule(module);
            throw;
        }
        finally
        {
            LLVM.DisposeTargetMachine(machine);
            LLVM.DisposeBuilder(builder);
        }
    }

    /// <summary>The module as a relocatable object file for <paramref name="target"/>.</summary>
    public static unsafe byte[] EmitObject(KernelProgram program, CpuTarget target)
    {
        var context = LLVM.ContextCreate();
        var machine = NativeTarget.CreateMachine(target.Triple, target.Cpu, target.Features);
        try
        {
            var module = Generate(program, target, context);
            try
            {
                if (LLVM.TargetMachineEmitToMemoryBuffer(machine, module, LLVMCodeGenFileType.LLVMObjectFile, out var error, out var buffer) != 0)
                {
                    throw new LlvmException($"emitting object code: {LLVM.TakeMessage(error)}");
                }
                var bytes = new ReadOnlySpan<byte>(LLVM.GetBufferStart(buffer), checked((int)LLVM.GetBufferSize(buffer))).ToArray();
                LLVM.DisposeMemoryBuffer(buffer);
                return bytes;
            }
            finally
            {
                LLVM.DisposeModule(module);
            }
        }
        finally
        {
            LLVM.DisposeTargetMachine(machine);
            LLVM.ContextDispose(context);
        }
    }
}
