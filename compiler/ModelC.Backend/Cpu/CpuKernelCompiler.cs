using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Backend.Targets;
using ModelC.Llvm;
using ModelC.Llvm.Interop;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Compiles one kernel or support routine at a time to a relocatable object for a CPU: its functions are
/// emitted into a module of their own (in a context of their own, so that workers never share
/// LLVM state), verified, optimised by LLVM's <c>default&lt;O3&gt;</c> pipeline with the target
/// machine (so the vectoriser knows the vector width) and emitted as object code. One per worker
/// thread: it owns its target machine. It counts the module's instructions (two walks through
/// LLVM) only when created to measure, for <c>--timings</c>. Its stage times are the worker
/// thread's CPU time: a module compiles on one thread, and wall time would also count the waits
/// for a core while the other workers (or other processes) run, several times the work on a busy
/// machine.
/// </summary>
internal sealed unsafe class CpuKernelCompiler : IKernelCodeGenerator
{
    private readonly CpuTarget _target;
    private readonly bool _measure;
    private LLVMTargetMachineRef _machine;

    public CpuKernelCompiler(CpuTarget target, bool measure)
    {
        _target = target;
        _measure = measure;
        _machine = NativeTarget.CreateMachine(target.Triple, target.Cpu, target.Features, target.CodeModel);
    }

    /// <inheritdoc/>
    /// <exception cref="LlvmException">LLVM rejected the module (a code generator bug) or failed to emit it.</exception>
    public ObjectCode Compile(Kernel kernel, ImmutableArray<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        return Compile(kernel.Symbol, $"kernel '{kernel.Symbol}' ({kernel.Description})", e =>
        {
            var math = new MathFunctions(e);
            switch (kernel)
            {
                case MapKernel map:
                    MapKernelEmitter.Emit(e, math, map, symbols, _target.VectorLanes);
                    break;
                case GemmKernel gemm:
                    GemmKernelEmitter.Emit(e, math, gemm, symbols);
                    break;
                default:
                    throw new InvalidOperationException($"no CPU emitter for {kernel.GetType().Name}");
            }
        });
    }

    /// <inheritdoc/>
    /// <exception cref="LlvmException">LLVM rejected the module (a code generator bug) or failed to emit it.</exception>
    public ObjectCode Compile(SupportRoutine routine)
    {
        ArgumentNullException.ThrowIfNull(routine);
        return Compile(routine.Name, $"support routine '{routine.Name}'", e =>
        {
            switch (routine)
            {
                case GemmTileRoutine tile:
                    GemmMicroKernel.DefineTile(e, tile);
                    break;
                case GemmTransposeRoutine transpose:
                    GemmTransposeKernel.Define(e, transpose);
                    break;
                case FiniteCheckRoutine:
                    FiniteCheck.Define(e);
                    break;
                default:
                    throw new InvalidOperationException($"no CPU emitter for {routine.GetType().Name}");
            }
        });
    }

    /// <summary>The object code that defines the exported constant <see cref="ManifestHash.Symbol"/>, holding <paramref name="manifestSha256"/>.</summary>
    /// <exception cref="LlvmException">LLVM failed to emit it.</exception>
    public ObjectCode CompileManifestStamp(byte[] manifestSha256)
    {
        ArgumentNullException.ThrowIfNull(manifestSha256);
        return Compile(ManifestHash.Symbol, "the manifest stamp", e =>
        {
            fixed (byte* bytes = manifestSha256)
            {
                var value = LLVM.ConstStringInContext(e.Context, bytes, (uint)manifestSha256.Length, dontNullTerminate: 1);
                var global = LLVM.AddGlobal(e.Module, LLVM.TypeOf(value), ManifestHash.Symbol);
                LLVM.SetInitializer(global, value);
                LLVM.SetGlobalConstant(global, 1);
            }
        });
    }

    // The object code of the module that `emit` fills; `what` names it in errors.
    private ObjectCode Compile(string name, string what, Action<LlvmEmitter> emit)
    {
        ObjectDisposedException.ThrowIf(_machine.Handle == 0, this);
        var context = LLVM.ContextCreate();
        try
        {
            var (module, emitTime, optimiseTime, instructionsEmitted) = Generate(name, what, emit, context);
            try
            {
                var instructions = _measure ? LLVM.CountInstructions(module) : 0;
                var start = ThreadCpuClock.Nanoseconds();
                if (LLVM.TargetMachineEmitToMemoryBuffer(_machine, module, LLVMCodeGenFileType.LLVMObjectFile, out var error, out var buffer) != 0)
                {
                    throw new LlvmException($"emitting object code for {what}: {LLVM.TakeMessage(error)}");
                }
                var bytes = new ReadOnlySpan<byte>(LLVM.GetBufferStart(buffer), checked((int)LLVM.GetBufferSize(buffer))).ToArray();
                LLVM.DisposeMemoryBuffer(buffer);
                return new ObjectCode(bytes, _measure
                    ? new CodeGenerationTimes(emitTime, optimiseTime, ThreadCpuClock.Since(start), instructionsEmitted, instructions)
                    : null);
            }
            finally
            {
                LLVM.DisposeModule(module);
            }
        }
        finally
        {
            LLVM.ContextDispose(context);
        }
    }

    /// <summary>
    /// Emits (by <paramref name="emit"/>) and optimises a new module of <paramref name="context"/>; the caller owns the module.
    /// Also what emitting and optimising took (thread CPU time), and the instructions emitted when measuring (else 0).
    /// </summary>
    /// <exception cref="LlvmException">LLVM rejected the module (a code generator bug).</exception>
    private (LLVMModuleRef Module, TimeSpan Emit, TimeSpan Optimise, int InstructionsEmitted) Generate(string name, string what, Action<LlvmEmitter> emit, LLVMContextRef context)
    {
        var start = ThreadCpuClock.Nanoseconds();
        var module = LLVM.ModuleCreateWithNameInContext(name, context);
        var builder = LLVM.CreateBuilderInContext(context);
        try
        {
            var e = new LlvmEmitter(context, module, builder);
            emit(e);
            // LLVM's loop vectoriser prefers 256-bit vectors on AVX-512 CPUs by default; elementwise
            // loops (GEMM epilogues, maps) then run at half width. Their results do not depend on it.
            e.SetAttributeOnAllFunctions("prefer-vector-width", (_target.VectorLanes * 32).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!_target.AllowsJumpTables)
            {
                e.SetAttributeOnAllFunctions("no-jump-tables", "true");
            }
            if (LLVM.VerifyModule(module, LLVMVerifierFailureAction.LLVMReturnStatusAction, out var message) != 0)
            {
                throw new LlvmException($"the generated code of {what} is invalid (a ModelC bug): {LLVM.TakeMessage(message)}");
            }
            LLVM.TakeMessage(message);
            LLVM.SetTarget(module, _target.ResolvedTriple);
            var layout = LLVM.CreateTargetDataLayout(_machine);
            LLVM.SetModuleDataLayout(module, layout);
            LLVM.DisposeTargetData(layout);
            var emitTime = ThreadCpuClock.Since(start);
            var instructionsEmitted = _measure ? LLVM.CountInstructions(module) : 0;
            start = ThreadCpuClock.Nanoseconds();
            var options = LLVM.CreatePassBuilderOptions();
            try
            {
                LLVM.ThrowIfError(LLVM.RunPasses(module, "default<O3>", _machine, options), "optimising");
            }
            finally
            {
                LLVM.DisposePassBuilderOptions(options);
            }
            return (module, emitTime, ThreadCpuClock.Since(start), instructionsEmitted);
        }
        catch
        {
            LLVM.DisposeModule(module);
            throw;
        }
        finally
        {
            LLVM.DisposeBuilder(builder);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_machine.Handle != 0)
        {
            LLVM.DisposeTargetMachine(_machine);
            _machine = default;
        }
    }
}
