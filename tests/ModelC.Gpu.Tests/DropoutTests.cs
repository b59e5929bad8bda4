using ModelC.Backend.Tests;
using ModelC.Compiler.Tests.Dropout;

namespace ModelC.Gpu.Tests;

/// <summary>Dropout's training graph with its gradients on the GPU target (ILGPU's CPU accelerator) draws the interpreter's masks.</summary>
public sealed class DropoutTests
{
    [Fact]
    public void GpuMasksAreTheInterpreters()
    {
        var graph = DropoutCase.Gradients();
        var run = CompiledRun.Execute(graph, graph, DropoutCase.Inputs(), GpuTarget.Instance, IlgpuCpu.Devices);

        var (y, z) = DropoutCase.InterpretedMasks();
        Assert.Equal(y, DropoutCase.Kept(run.Compiled["y"]));
        Assert.Equal(z, DropoutCase.Kept(run.Compiled["z"]));
        run.AssertClose();
    }
}
