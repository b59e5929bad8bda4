using ModelC.Compiler.Tests.Dropout;

namespace ModelC.Backend.Tests;

/// <summary>
/// Dropout's training graph with its gradients on the CPU backend: the masks are the
/// interpreter's element for element, every result within 1e-5 of it, and 1 and 2 threads give
/// identical bits.
/// </summary>
public sealed class DropoutDifferentialTests
{
    [Fact]
    public void CompiledMasksAreTheInterpreters()
    {
        var graph = DropoutCase.Gradients();
        var run = CompiledRun.Execute(graph, DropoutCase.Inputs(), 1, 2);

        var (y, z) = DropoutCase.InterpretedMasks();
        Assert.Equal(y, DropoutCase.Kept(run.Compiled["y"]));
        Assert.Equal(z, DropoutCase.Kept(run.Compiled["z"]));
        run.AssertClose();
        run.AssertRunsIdentical();
    }
}
