using System.Collections.Immutable;
using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Backend.Targets;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Tests.Driver;

/// <summary>The host CPU target, counting how often the driver asks it to compile (kernels and support routines), load and link.</summary>
internal sealed class CountingTarget : ICompileTarget
{
    private readonly ICompileTarget _cpu = CpuTarget.Host;
    private int _compiled;
    private int _links;

    public int Compiled => _compiled;

    public int Links => _links;

    public DeviceKind Device => _cpu.Device;

    public string Description => _cpu.Description;

    public string Identity => _cpu.Identity;

    public ImmutableArray<string> RequiredFeatures => _cpu.RequiredFeatures;

    public int VectorLanes => _cpu.VectorLanes;

    public TargetCapabilities Capabilities => _cpu.Capabilities;

    public long ScratchBytes(KernelProgram program) => _cpu.ScratchBytes(program);

    public IReadOnlyList<SupportRoutine> SupportOf(Kernel kernel) => _cpu.SupportOf(kernel);

    public IKernelCodeGenerator CreateCodeGenerator(bool measure = false) => new Counting(_cpu.CreateCodeGenerator(measure), this);

    public IKernelLibrary Load(IReadOnlyList<KernelObject> objects) => _cpu.Load(objects);

    public byte[] Link(IReadOnlyList<KernelObject> objects, byte[] manifestSha256)
    {
        Interlocked.Increment(ref _links);
        return _cpu.Link(objects, manifestSha256);
    }

    private sealed class Counting(IKernelCodeGenerator inner, CountingTarget owner) : IKernelCodeGenerator
    {
        public ObjectCode Compile(Kernel kernel, ImmutableArray<string> symbols)
        {
            Interlocked.Increment(ref owner._compiled);
            return inner.Compile(kernel, symbols);
        }

        public ObjectCode Compile(SupportRoutine routine)
        {
            Interlocked.Increment(ref owner._compiled);
            return inner.Compile(routine);
        }

        public void Dispose() => inner.Dispose();
    }
}
