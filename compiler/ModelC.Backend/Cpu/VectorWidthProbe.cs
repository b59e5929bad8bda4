using System.Collections.Concurrent;
using System.Text;
using ModelC.Llvm;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Finds how many floats a target's vector registers hold by asking LLVM's code generator: a
/// 16-float add is compiled for the target and the assembly says which registers carry it
/// (zmm: AVX-512, ymm: AVX/AVX2, else SSE). LLVM alone knows which features a named CPU implies
/// and how <c>--features</c> changes them, so this follows every way a target can be given.
/// The answer is kept per target (a few milliseconds once).
/// </summary>
internal static class VectorWidthProbe
{
    private static readonly ConcurrentDictionary<CpuTarget, int> Known = new();

    public static int LanesOf(CpuTarget target) => Known.GetOrAdd(target, Probe);

    private static unsafe int Probe(CpuTarget target)
    {
        var context = LLVM.ContextCreate();
        var module = LLVM.ModuleCreateWithNameInContext("vector-width-probe", context);
        var builder = LLVM.CreateBuilderInContext(context);
        var machine = NativeTarget.CreateMachine(target.Triple, target.Cpu, target.Features);
        try
        {
            var e = new LlvmEmitter(context, module, builder);
            var function = e.AddFunction("probe", e.FunctionType(e.Void, e.Ptr));
            e.PositionAtEnd(e.AppendBlock(function, "entry"));
            var pointer = LLVM.GetParam(function, 0);
            var vector = e.Load(e.Vector(e.F32, 16), pointer);
            e.Store(e.FAdd(vector, vector), pointer);
            LLVM.BuildRetVoid(builder);
            LLVM.SetTarget(module, target.ResolvedTriple);
            if (LLVM.TargetMachineEmitToMemoryBuffer(machine, module, LLVMCodeGenFileType.LLVMAssemblyFile, out var error, out var buffer) != 0)
            {
                throw new LlvmException($"probing the vector width of {target}: {LLVM.TakeMessage(error)}");
            }
            var assembly = Encoding.ASCII.GetString(LLVM.GetBufferStart(buffer), checked((int)LLVM.GetBufferSize(buffer)));
            LLVM.DisposeMemoryBuffer(buffer);
            return assembly.Contains("%zmm", StringComparison.Ordinal) ? 16 : assembly.Contains("%ymm", StringComparison.Ordinal) ? 8 : 4;
        }
        finally
        {
            LLVM.DisposeTargetMachine(machine);
            LLVM.DisposeBuilder(builder);
            LLVM.DisposeModule(module);
            LLVM.ContextDispose(context);
        }
    }
}
