using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// The fold-conv pass: a stride-1 fold of a contraction (a convolution's data gradient, a
/// transposed convolution) becomes one convolution that the float64 interpreter evaluates to
/// the same values; a strided fold stays a fold.
/// </summary>
public sealed class FoldAsConvolutionTests
{
    [Theory]
    [InlineData(3, 3, 1, 1, false)]
    [InlineData(3, 2, 2, 1, false)]
    [InlineData(1, 1, 1, 1, false)]
    [InlineData(3, 3, 1, 1, true)]
    public void AStrideOneFoldOfAContractionBecomesAConvolution(int kernelH, int kernelW, int dilationH, int dilationW, bool weightsFirst)
    {
        // The data gradient of a convolution: dy[b,o,h,w] · W[o,c,i,j] → cols[b,c,i,j,h,w], folded.
        var window = new Window2d(kernelH, kernelW, 1, 1, dilationH, dilationW);
        var (positionsH, positionsW) = (5, 4);
        var (height, width) = (positionsH + (kernelH - 1) * dilationH, positionsW + (kernelW - 1) * dilationW);
        var b = new GraphBuilder("g");
        var dy = b.Input("dy", TensorType.F32(Shape.Of(2, 3, positionsH, positionsW)));
        var weights = b.Input("w", TensorType.F32(Shape.Of(3, 4, kernelH, kernelW)));
        var columns = weightsFirst
            ? b.Contract(weights, dy, [1, 4, 5, 6], [0, 1, 2, 3], [0, 4, 5, 6, 2, 3])
            : b.Contract(dy, weights, [0, 1, 2, 3], [1, 4, 5, 6], [0, 4, 5, 6, 2, 3]);
        b.Output("dx", b.Add(new FoldOp(window, height, width), columns));
        var graph = b.Build();

        var rewritten = Lowered(graph);

        Assert.DoesNotContain(rewritten.Nodes, n => n.Op is FoldOp);
        Assert.Equal(graph.Outputs[0].Value.Type, rewritten.Outputs[0].Value.Type);
        Assert.Single(rewritten.Nodes, n => n.Op is ContractOp);
        Assert.Single(rewritten.Nodes, n => n.Op is UnfoldOp);
        var inputs = new Dictionary<string, HostTensor>
        {
            ["dy"] = HostTensor.FromFunction([2, 3, positionsH, positionsW], i => Math.Sin(1 + i[0] + 3 * i[1] + 7 * i[2] + 13 * i[3])),
            ["w"] = HostTensor.FromFunction([3, 4, kernelH, kernelW], i => Math.Cos(2 + i[0] + 5 * i[1] + 11 * i[2] + 17 * i[3])),
        };
        var expected = ReferenceInterpreter.Run(graph, inputs, new Dictionary<string, HostTensor>()).Outputs["dx"].ToArray();
        var actual = ReferenceInterpreter.Run(rewritten, inputs, new Dictionary<string, HostTensor>()).Outputs["dx"].ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"element {i}: {actual[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void AStridedFoldStaysAFold()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(1, 2, 3, 3)));
        var weights = b.Input("w", TensorType.F32(Shape.Of(2, 2, 4, 4)));
        var columns = b.Contract(x, weights, [0, 1, 2, 3], [1, 4, 5, 6], [0, 4, 5, 6, 2, 3]);
        b.Output("y", b.Add(new FoldOp(Window2d.Square(4, 2), 8, 8), columns));
        var graph = b.Build();

        Assert.Same(graph, new FoldAsConvolution().Run(graph));
    }

    [Fact]
    public void AFoldOfAnythingButAContractionStaysAFold()
    {
        var b = new GraphBuilder("g");
        var columns = b.Input("cols", TensorType.F32(Shape.Of(1, 2, 3, 3, 4, 4)));
        b.Output("y", b.Add(new FoldOp(Window2d.Square(3, 1), 6, 6), columns));
        var graph = b.Build();

        Assert.Same(graph, new FoldAsConvolution().Run(graph));
    }

    private static Graph Lowered(Graph graph) => GraphPipeline.Run(graph, GraphPipeline.Lowering).Graph;
}
