using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Tests;

/// <summary>
/// How many tasks a map kernel's parallel loop has (<see cref="MapTaskGrain"/>): a kernel with
/// less work than two tasks' worth is one task, a larger one is cut into tasks of whole rows
/// that each hold at least <see cref="MapTaskGrain.TaskWork"/> element terms, with a symbolic
/// batch counted when the kernel runs; the results keep their bits for 1 and 2 threads.
/// </summary>
public sealed class MapTaskGrainTests
{
    [Fact]
    public void AKernelOfABatchOfClassScoresIsOneTask()
    {
        // x / Σ_row x over [128, 10], a loss's shape: 1280 elements, each with its row's 10 terms.
        var (graph, inputs) = RowKernel(128, 10);
        Assert.Equal(1, Extents(graph, 0).Single());
        var run = CompiledRun.Execute(graph, inputs, 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }

    [Fact]
    public void ALargeKernelIsCutIntoTasksOfWholeRowsOfAtLeastTheGrain()
    {
        // 512 × 784 elements of one term: 401,408 terms are 6 tasks of 86 rows, the last of 82.
        var (graph, inputs) = RowKernel(512, 784, sumRows: false);
        Assert.Equal(6, Extents(graph, 0).Single());
        var run = CompiledRun.Execute(graph, inputs, 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(64, 1)]
    [InlineData(128, 1)]
    [InlineData(512, 6)]
    public void ASymbolicBatchIsCutWhenTheKernelRuns(long batch, long tasks)
    {
        var b = new GraphBuilder("symbolic");
        var x = b.Input("x", TensorType.F32(Shape.Of([Dim.Symbolic("B"), 784])));
        b.Output("y", b.Binary(BinaryKind.Mul, x, 3.0));
        Assert.Equal(tasks, Extents(b.Build(), batch).Single());
    }

    // The parallel loop's extent of each kernel of the compiled graph, with every symbol = symbol.
    private static unsafe long[] Extents(Graph graph, long symbol)
    {
        var compiled = ModelCompiler.Compile(graph, CpuTarget.Host);
        return [.. compiled.Manifest.Kernels.Select(kernel =>
        {
            var extent = (delegate* unmanaged<long*, long>)compiled.Kernels.GetKernel(kernel.Symbol + "_extent");
            var value = symbol;
            return extent(&value);
        })];
    }

    // x / Σ_row x when sumRows (one kernel: the sum is computed in its consumer), else x · 3.
    private static (Graph Graph, Dictionary<string, HostTensor> Inputs) RowKernel(int rows, int length, bool sumRows = true)
    {
        var random = new Random(rows + length);
        var shape = Shape.Of(rows, length);
        var inputs = new Dictionary<string, HostTensor> { ["x"] = HostTensor.FromFunction([rows, length], _ => (float)(random.NextDouble() + 0.5)) };
        var b = new GraphBuilder("grain");
        var x = b.Input("x", TensorType.F32(shape));
        b.Output("y", sumRows
            ? b.Binary(BinaryKind.Div, x, b.Add(new BroadcastOp(shape, [0]), b.Reduce(ReduceKind.Sum, x, 1)))
            : b.Binary(BinaryKind.Mul, x, 3.0));
        return (b.Build(), inputs);
    }
}
