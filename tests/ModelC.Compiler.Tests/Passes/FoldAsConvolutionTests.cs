using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// The fold-conv pass: a stride-1 fold of a contraction (a convolution's data gradient, a
/// transposed convolution) becomes one convolution that the float64 interpreter evaluates to
/// the same values; a strided one becomes one convolution over its phases (a dilated strided fold
/// stays a fold), also through a permute of the contraction; a permute of a convolution's output is computed
/// by its contraction.
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
        var graph = FoldOfContraction(window, height, width, Shape.Of(2, 3, positionsH, positionsW), Shape.Of(3, 4, kernelH, kernelW), weightsFirst);

        var (rewritten, _) = LoweredToOneConvolution(graph);

        AssertSameValues(graph, rewritten, "y", 1e-5);
    }

    [Theory]
    [InlineData(3, 3, 2, 2, 0, 0, 3, 4, false)]
    [InlineData(3, 3, 2, 2, 1, 1, 1, 2, false)]
    [InlineData(4, 4, 2, 2, 0, 1, 2, 2, true)]
    [InlineData(2, 2, 2, 2, 0, 0, 5, 3, false)]
    [InlineData(3, 5, 3, 3, 2, 1, 2, 1, true)]
    [InlineData(1, 1, 2, 3, 1, 2, 3, 3, false)]
    [InlineData(3, 3, 2, 1, 1, 0, 4, 2, true)]
    public void AStridedFoldOfAContractionBecomesAConvolutionOverItsPhases(int kernelH, int kernelW, int strideH, int strideW,
        int extraH, int extraW, int channelsIn, int channelsOut, bool weightsFirst)
    {
        // A strided transposed convolution: x[b,c,h,w] · W[c,o,i,j] → cols[b,o,i,j,h,w], folded
        // onto a grid `extra` rows/columns beyond the last window (an output crop).
        var window = new Window2d(kernelH, kernelW, strideH, strideW, 1, 1);
        var (positionsH, positionsW) = (5, 3);
        var (height, width) = ((positionsH - 1) * strideH + kernelH + extraH, (positionsW - 1) * strideW + kernelW + extraW);
        var graph = FoldOfContraction(window, height, width, Shape.Of(2, channelsIn, positionsH, positionsW), Shape.Of(channelsIn, channelsOut, kernelH, kernelW), weightsFirst);

        var (rewritten, contract) = LoweredToOneConvolution(graph);

        // Every phase's products, no more: ⌈k/s⌉² taps per input channel for s² phases per output channel.
        var (phaseTapsH, phaseTapsW) = ((kernelH + strideH - 1) / strideH, (kernelW + strideW - 1) / strideW);
        var tapsNode = contract.Inputs.Single(i => i.Op is not UnfoldOp);
        Assert.Equal(channelsIn * channelsOut * phaseTapsH * strideH * phaseTapsW * strideW, tapsNode.Type.Shape.FixedElementCount);
        AssertSameValues(graph, rewritten, "y", 1e-12);
    }

    [Theory]
    [InlineData(3, 1, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(2, 2, 0)]
    [InlineData(3, 3, 2)]
    public void AFoldOfAPermutedContractionBecomesAConvolution(int kernel, int stride, int extra)
    {
        // einspace's im2col data gradient: dy[b,h,w,o] · W[o,c,i,j] → (b,h,w,c,i,j), permuted to
        // (b,c,i,j,h,w) and folded (the forward pass padded by one, so the grid is cropped after).
        var window = new Window2d(kernel, kernel, stride, stride, 1, 1);
        var (positionsH, positionsW) = (12, 10);
        var (height, width) = ((positionsH - 1) * stride + kernel + extra, (positionsW - 1) * stride + kernel + extra);
        var graph = FoldOfPermutedContraction(window, height, width, positionsH, positionsW);

        var (rewritten, _) = LoweredToOneConvolution(graph);

        AssertSameValues(graph, rewritten, "dx", 1e-12);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void AFoldOfAPermutedContractionStaysAFoldWhenItsConvolutionWouldComputeOverTwiceItsPositions(int positions, bool staysAFold)
    {
        // p×p positions of a 3×3 window: the convolution computes the (p + 2)² grid, 16 for 4
        // positions (4×), 36 for 16 (2.25×), 49 for 25 (1.96×: converted).
        var grid = positions + 2;
        var graph = FoldOfPermutedContraction(Window2d.Square(3, 1), grid, grid, positions, positions);

        var rewritten = new FoldAsConvolution().Run(graph);

        Assert.Equal(staysAFold, rewritten.Nodes.Any(n => n.Op is FoldOp));
    }

    [Fact]
    public void AStridedDilatedFoldStaysAFold()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(1, 2, 3, 3)));
        var weights = b.Input("w", TensorType.F32(Shape.Of(2, 2, 3, 3)));
        var columns = b.Contract(x, weights, [0, 1, 2, 3], [1, 4, 5, 6], [0, 4, 5, 6, 2, 3]);
        b.Output("y", b.Add(new FoldOp(Window2d.Square(3, 2, 2), 9, 9), columns));
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

    [Fact]
    public void APermuteOfAConvolutionAndItsBiasIsComputedByTheContraction()
    {
        // einspace's convolution: (B, H, W, C) with a bias, transposed to (B, C, H, W) by col2im.
        var graph = EinspaceConvolution(biasReadElsewhere: false);

        var rewritten = new FoldAsConvolution().Run(graph);

        var contract = Assert.Single(rewritten.Nodes, n => n.Op is ContractOp);
        Assert.Equal([0, 6, 4, 5], ((ContractOp)contract.Op).Output.ToArray());
        Assert.DoesNotContain(rewritten.Nodes, n => n.Op is PermuteOp && n.Inputs[0].Op is not UnfoldOp);
        AssertSameValues(graph, rewritten, "y", 0);
    }

    [Fact]
    public void APermuteOfAConvolutionReadElsewhereStays()
    {
        // The biased (B, H, W, C) result is an output too: computing it twice would cost a GEMM.
        var graph = EinspaceConvolution(biasReadElsewhere: true);

        Assert.Same(graph, new FoldAsConvolution().Run(graph));
    }

    [Fact]
    public void APermuteOfAConvolutionWithMoreChannelsThanPositionsStays()
    {
        // 20 positions, 32 channels: the GEMM would be narrower computed as (B, C, H, W).
        var graph = EinspaceConvolution(biasReadElsewhere: false, channels: 32);

        Assert.Same(graph, new FoldAsConvolution().Run(graph));
    }

    // pad → unfold → permute to (B, H, W, C, kh, kw), contracted with W[o, c, kh, kw], plus a bias, permuted to (B, O, H, W).
    private static Graph EinspaceConvolution(bool biasReadElsewhere, int channels = 4)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 3, 5, 4)));
        var weights = b.Input("w", TensorType.F32(Shape.Of(channels, 3, 3, 3)));
        var bias = b.Input("bias", TensorType.F32(Shape.Of(channels)));
        var padded = b.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], 0), x);
        var patches = b.Permute(b.Add(new UnfoldOp(Window2d.Square(3, 1)), padded), 0, 4, 5, 1, 2, 3);
        var products = b.Contract(patches, weights, [0, 4, 5, 1, 2, 3], [6, 1, 2, 3], [0, 4, 5, 6]);
        var biased = b.Binary(BinaryKind.Add, products, b.BroadcastAlong(bias, products.Type.Shape, 3));
        b.Output("y", b.Permute(biased, 0, 3, 1, 2));
        if (biasReadElsewhere)
        {
            b.Output("z", biased);
        }
        return b.Build();
    }

    // x[b,c,h,w] · W[c,o,i,j] → cols[b,o,i,j,h,w] (weights the left or the right operand), folded
    // onto a height × width grid as output y.
    private static Graph FoldOfContraction(Window2d window, int height, int width, Shape data, Shape weights, bool weightsFirst)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(data));
        var w = b.Input("w", TensorType.F32(weights));
        var columns = weightsFirst
            ? b.Contract(w, x, [1, 4, 5, 6], [0, 1, 2, 3], [0, 4, 5, 6, 2, 3])
            : b.Contract(x, w, [0, 1, 2, 3], [1, 4, 5, 6], [0, 4, 5, 6, 2, 3]);
        b.Output("y", b.Add(new FoldOp(window, height, width), columns));
        return b.Build();
    }

    // einspace's im2col data gradient, 3 channels to 2: dy[b,h,w,o] · W[o,c,i,j] → (b,h,w,c,i,j),
    // permuted to (b,c,i,j,h,w) and folded onto a height × width grid as output dx.
    private static Graph FoldOfPermutedContraction(Window2d window, int height, int width, int positionsH, int positionsW)
    {
        var b = new GraphBuilder("g");
        var dy = b.Input("dy", TensorType.F32(Shape.Of(2, positionsH, positionsW, 3)));
        var weights = b.Input("w", TensorType.F32(Shape.Of(3, 2, window.KernelH, window.KernelW)));
        var columns = b.Contract(dy, weights, [0, 1, 4, 3], [3, 2, 5, 6], [0, 1, 4, 2, 5, 6]);
        b.Output("dx", b.Add(new FoldOp(window, height, width), b.Permute(columns, 0, 3, 4, 5, 1, 2)));
        return b.Build();
    }

    // The lowered graph, checked to hold no fold but one convolution (one unfold, one contraction,
    // returned) with the same result type.
    private static (Graph Rewritten, Node Contraction) LoweredToOneConvolution(Graph graph)
    {
        var rewritten = GraphPipeline.Run(graph, GraphPipeline.Lowering).Graph;
        Assert.DoesNotContain(rewritten.Nodes, n => n.Op is FoldOp);
        Assert.Equal(graph.Outputs[0].Value.Type, rewritten.Outputs[0].Value.Type);
        Assert.Single(rewritten.Nodes, n => n.Op is UnfoldOp);
        return (rewritten, Assert.Single(rewritten.Nodes, n => n.Op is ContractOp));
    }

    // The float64 interpreter's values of output `name` before and after, at most `tolerance` apart.
    private static void AssertSameValues(Graph graph, Graph rewritten, string name, double tolerance)
    {
        var inputs = graph.Nodes.Where(n => n.Op is InputOp).ToDictionary(
            n => ((InputOp)n.Op).Name,
            n => HostTensor.FromFunction([.. n.Type.Shape.Dims.Select(d => (int)d.FixedSize)], i => Math.Sin(1 + i.Select((v, a) => v * (a + 3)).Sum())));
        var none = new Dictionary<string, HostTensor>();
        var expected = ReferenceInterpreter.Run(graph, inputs, none).Outputs[name].ToArray();
        var actual = ReferenceInterpreter.Run(rewritten, inputs, none).Outputs[name].ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: {actual[i]}, expected {expected[i]}");
        }
    }
}
