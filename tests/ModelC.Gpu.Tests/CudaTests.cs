using ModelC.Backend.Tests;
using ModelC.Compiler.Tests.Interpreter;
using ModelC.Gpu.Runtime;

namespace ModelC.Gpu.Tests;

/// <summary>
/// The GPU target on a real CUDA GPU: the primitive golden cases against the interpreter at the
/// CPU backend's tolerance. Skipped, with the reason, where ILGPU sees no CUDA device (most
/// machines; bench/gpu.sh runs the suite where there is one).
/// </summary>
public sealed class CudaTests
{
    private static readonly Lazy<GpuAccelerator?> Accelerator = new(() => GpuAccelerator.CudaPresent() ? GpuAccelerator.Open(GpuAcceleratorKind.Cuda) : null);

    /// <summary>One row per golden case file.</summary>
    public static TheoryData<string> GoldenCases() => [.. GoldenCase.Names()];

    /// <summary>The golden case on a CUDA GPU matches the interpreter.</summary>
    [SkippableTheory]
    [MemberData(nameof(GoldenCases))]
    public void GoldenCaseMatchesInterpreterOnCuda(string name)
    {
        Skip.If(Accelerator.Value is null, "no CUDA device: ILGPU found no CUDA driver or GPU on this machine");
        var golden = GoldenCase.Load(name);
        var graph = golden.BuildGraph();
        CompiledRun.Execute(graph, graph, golden.InputValues(), GpuTarget.Instance, new GpuDeviceFactory(Accelerator.Value!)).AssertClose();
    }

    /// <summary>Asking for CUDA where there is none is refused with a message that says so.</summary>
    [SkippableFact]
    public void OpeningCudaWithoutADeviceSaysSo()
    {
        Skip.If(GpuAccelerator.CudaPresent(), "a CUDA device is present");
        var refusal = Assert.Throws<GpuUnavailableException>(() => GpuAccelerator.Open(GpuAcceleratorKind.Cuda));
        Assert.Contains("no CUDA device", refusal.Message, StringComparison.Ordinal);
    }
}
