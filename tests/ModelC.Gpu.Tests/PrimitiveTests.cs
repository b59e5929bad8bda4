using ModelC.Backend.Tests;
using ModelC.Compiler.Tests.Interpreter;

namespace ModelC.Gpu.Tests;

/// <summary>
/// Every primitive op through the GPU target on ILGPU's CPU accelerator against the reference
/// interpreter, at the CPU backend's tolerance (1e-5 normwise; integers and bools exactly): the
/// golden cases of <c>tests/golden/primitives</c> (NaN and infinity included) and the sweep of
/// random shapes, which covers every op, kind and cast (PrimitiveDifferentialTests checks that).
/// </summary>
public sealed class PrimitiveTests
{
    /// <summary>One row per golden case file.</summary>
    public static TheoryData<string> GoldenCases() => [.. GoldenCase.Names()];

    /// <summary>One row per sweep case.</summary>
    public static TheoryData<string> SweepCases() => [.. PrimitiveSweep.Cases.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The golden case on the GPU target matches the interpreter.</summary>
    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void GoldenCaseMatchesInterpreter(string name)
    {
        var golden = GoldenCase.Load(name);
        var graph = golden.BuildGraph();
        CompiledRun.Execute(graph, graph, golden.InputValues(), GpuTarget.Instance, IlgpuCpu.Devices).AssertClose();
    }

    /// <summary>The sweep case on the GPU target matches the interpreter.</summary>
    [Theory]
    [MemberData(nameof(SweepCases))]
    public void SweepCaseMatchesInterpreter(string name)
    {
        var sweep = PrimitiveSweep.Cases[name];
        CompiledRun.Execute(sweep.Graph, sweep.Graph, sweep.Inputs, GpuTarget.Instance, IlgpuCpu.Devices).AssertClose();
    }
}
