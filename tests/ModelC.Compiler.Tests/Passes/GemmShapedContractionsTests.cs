using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// The gemm-layout pass: a contraction whose output interleaves the two operands' labels is
/// computed in batch… rows… columns… order and permuted back, to the same values; one already in
/// that order, or whose GEMMs have a vector of columns or are few, is left alone.
/// </summary>
public sealed class GemmShapedContractionsTests
{
    [Fact]
    public void ATransformAlongAnInnerAxisIsComputedWithThatAxisLastAndPermutedBack()
    {
        // A complex DFT over H of z[b, c, h, w, part] as Fourier lowers it: out[b, c, k, w, kpart].
        var b = new GraphBuilder("g");
        var z = b.Input("z", TensorType.F32(Shape.Of(2, 3, 5, 4, 2)));
        var basis = b.Input("basis", TensorType.F32(Shape.Of(5, 2, 6, 2)));
        b.Output("y", b.Contract(z, basis, [0, 1, 2, 3, 4], [2, 4, 5, 6], [0, 1, 5, 3, 6]));
        var graph = b.Build();

        var rewritten = new GemmShapedContractions().Run(graph);

        var contraction = Assert.Single(rewritten.Nodes, n => n.Op is ContractOp);
        Assert.Equal<int>([0, 1, 3, 5, 6], ((ContractOp)contraction.Op).Output);
        var permute = Assert.IsType<PermuteOp>(rewritten.Outputs[0].Value.Op);
        Assert.Equal<int>([0, 1, 3, 2, 4], permute.Permutation);
        AssertSameValues(graph, rewritten, new Dictionary<string, HostTensor>
        {
            ["z"] = HostTensor.FromFunction([2, 3, 5, 4, 2], i => Math.Sin(1 + i[0] + 3 * i[1] + 7 * i[2] + 13 * i[3] + 17 * i[4])),
            ["basis"] = HostTensor.FromFunction([5, 2, 6, 2], i => Math.Cos(2 + i[0] + 5 * i[1] + 11 * i[2] + 19 * i[3])),
        });
    }

    [Fact]
    public void LabelsOfBothOperandsComeFirstAsTheBatch()
    {
        // A per-mode channel mix: out[b, o, m] = Σ_c z[b, c, m]·w[c, o, m], the modes m the batch.
        var b = new GraphBuilder("g");
        var z = b.Input("z", TensorType.F32(Shape.Of(2, 3, 4)));
        var w = b.Input("w", TensorType.F32(Shape.Of(3, 8, 4)));
        b.Output("y", b.Contract(z, w, [0, 1, 2], [1, 3, 2], [0, 3, 2]));
        var graph = b.Build();

        var rewritten = new GemmShapedContractions().Run(graph);

        var contraction = Assert.Single(rewritten.Nodes, n => n.Op is ContractOp);
        Assert.Equal<int>([2, 0, 3], ((ContractOp)contraction.Op).Output);
        AssertSameValues(graph, rewritten, new Dictionary<string, HostTensor>
        {
            ["z"] = HostTensor.FromFunction([2, 3, 4], i => Math.Sin(1 + i[0] + 3 * i[1] + 7 * i[2])),
            ["w"] = HostTensor.FromFunction([3, 8, 4], i => Math.Cos(2 + i[0] + 5 * i[1] + 11 * i[2])),
        });
    }

    [Theory]
    [InlineData(new[] { 0, 1 }, new[] { 2, 1 }, new[] { 0, 2 })] // a linear layer: x[b, i]·w[o, i]
    [InlineData(new[] { 2, 1 }, new[] { 0, 1 }, new[] { 0, 2 })] // the same, the weight first
    [InlineData(new[] { 0, 1, 2 }, new[] { 0, 2, 3 }, new[] { 0, 1, 3 })] // batched: attention scores
    [InlineData(new[] { 0, 1 }, new[] { 1 }, new[] { 0 })] // a matrix-vector product
    public void AContractionAlreadyInGemmOrderIsLeftAlone(int[] left, int[] right, int[] output)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(left.Select(l => 2 + l).ToArray())));
        var y = b.Input("y", TensorType.F32(Shape.Of(right.Select(l => 2 + l).ToArray())));
        b.Output("z", b.Contract(x, y, left, right, output));
        var graph = b.Build();

        Assert.Same(graph, new GemmShapedContractions().Run(graph));
    }

    [Theory]
    [InlineData(2, GemmShapedContractions.MinColumns)] // each GEMM has a vector of position columns
    [InlineData(2, 4)] // a tiny grid, but only two GEMMs, one per batch element
    public void AConvolutionPerBatchElementKeepsItsOrder(int batch, int positions)
    {
        // cols[b, c, p]·w[o, c] → y[b, o, p]: the batch b is the GEMM's outer loop.
        var b = new GraphBuilder("g");
        var columns = b.Input("cols", TensorType.F32(Shape.Of(batch, 3, positions)));
        var weights = b.Input("w", TensorType.F32(Shape.Of(4, 3)));
        b.Output("y", b.Contract(columns, weights, [0, 1, 2], [3, 1], [0, 3, 2]));
        var graph = b.Build();

        Assert.Same(graph, new GemmShapedContractions().Run(graph));
    }

    private static void AssertSameValues(Graph graph, Graph rewritten, Dictionary<string, HostTensor> inputs)
    {
        var expected = ReferenceInterpreter.Run(graph, inputs, new Dictionary<string, HostTensor>()).Outputs;
        var actual = ReferenceInterpreter.Run(rewritten, inputs, new Dictionary<string, HostTensor>()).Outputs;
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal<int>(tensor.Shape, actual[name].Shape);
            Assert.Equal(tensor.ToArray(), actual[name].ToArray());
        }
    }
}
