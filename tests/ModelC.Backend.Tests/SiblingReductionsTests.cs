using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Tests;

/// <summary>
/// Multi-output reductions (<see cref="SiblingReductions"/>): a layer norm's gain and bias
/// gradients, two column sums over the same rows of dy, are one kernel that computes the bits
/// two kernels computed, at one and two threads; so are two row sums of one input. Sums over
/// other axes, or with a kernel between them that reads the first, stay apart.
/// </summary>
public sealed class SiblingReductionsTests
{
    private static readonly TensorType Rows = TensorType.F32(Shape.Of(67, 37));

    [Fact]
    public void ALayerNormsGainAndBiasGradientsAreOneKernel()
    {
        var graph = ColumnSums("bias", "gain");
        var group = Assert.Single(FusionPlanner.Plan(graph).Siblings);
        Assert.All(group, node => Assert.IsType<ReduceOp>(node.Op));
        var kernel = Assert.IsType<MapKernel>(Assert.Single(ProgramBuilder.Build(graph).Kernels));
        Assert.Equal(["bias", "gain"], kernel.Outputs.Select(o => o.Name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ColumnSumsInOneKernelHaveTheBitsOfSeparateKernels(int threads)
    {
        var together = Run(ColumnSums("bias", "gain"), threads, "bias", "gain");
        Assert.Equal(Run(ColumnSums("bias"), threads, "bias")["bias"], together["bias"]);
        Assert.Equal(Run(ColumnSums("gain"), threads, "gain")["gain"], together["gain"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RowSumsInOneKernelHaveTheBitsOfSeparateKernels(int threads)
    {
        // Sums along the contiguous axis (a mean and a mean square) are summed per element, not
        // accumulated in memory: their kernel evaluates both sums for each row.
        var graph = RowSums("sum", "squares");
        Assert.Single(ProgramBuilder.Build(graph).Kernels);
        var together = Run(graph, threads, "sum", "squares");
        Assert.Equal(Run(RowSums("sum"), threads, "sum")["sum"], together["sum"]);
        Assert.Equal(Run(RowSums("squares"), threads, "squares")["squares"], together["squares"]);
    }

    [Fact]
    public void SumsOverOtherAxesStayApart()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(16, 16)));
        b.Output("columns", b.Reduce(ReduceKind.Sum, x, 0));
        b.Output("rows", b.Reduce(ReduceKind.Sum, x, 1));
        Assert.Empty(FusionPlanner.Plan(b.Build()).Siblings);
    }

    [Fact]
    public void AKernelBetweenSiblingSumsThatReadsTheFirstKeepsThemApart()
    {
        // The kernel would run at the gain's place, after the doubling read the bias's sum.
        var b = new GraphBuilder("g");
        var (x, dy) = (b.Input("x", Rows), b.Input("dy", Rows));
        var bias = b.Reduce(ReduceKind.Sum, dy, 0);
        b.Output("bias", bias);
        b.Output("twice", b.Binary(BinaryKind.Mul, bias, 2));
        b.Output("gain", b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, dy, x), 0));
        Assert.Empty(FusionPlanner.Plan(b.Build()).Siblings);
    }

    // Σ_rows dy ("bias") and Σ_rows dy·x ("gain"), those named.
    private static Graph ColumnSums(params string[] outputs)
    {
        var b = new GraphBuilder("g");
        var (x, dy) = (b.Input("x", Rows), b.Input("dy", Rows));
        if (outputs.Contains("bias"))
        {
            b.Output("bias", b.Reduce(ReduceKind.Sum, dy, 0));
        }
        if (outputs.Contains("gain"))
        {
            b.Output("gain", b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, dy, x), 0));
        }
        return b.Build();
    }

    // Σ_columns x ("sum") and Σ_columns x·x ("squares") of x [13, 100], those named.
    private static Graph RowSums(params string[] outputs)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(13, 100)));
        if (outputs.Contains("sum"))
        {
            b.Output("sum", b.Reduce(ReduceKind.Sum, x, 1));
        }
        if (outputs.Contains("squares"))
        {
            b.Output("squares", b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, x, x), 1));
        }
        return b.Build();
    }

    // The named results of one run on random inputs (the same for every graph: seeded by name).
    private static Dictionary<string, float[]> Run(Graph graph, int threads, params string[] results)
    {
        var compiled = ModelCompiler.Compile(graph, CpuTarget.Host);
        using var instance = new ModelInstance(compiled.Manifest, compiled.Kernels, new Dictionary<string, int>(), new ModelOptions(threads), ownsKernels: true);
        foreach (var input in graph.Nodes.Select(n => n.Op).OfType<InputOp>())
        {
            var random = new Random(input.Name.Length);
            var values = instance.Floats(input.Name);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = random.NextSingle() - 0.5f;
            }
        }

        instance.Run();

        return results.ToDictionary(name => name, name => instance.Floats(name).ToArray());
    }
}
