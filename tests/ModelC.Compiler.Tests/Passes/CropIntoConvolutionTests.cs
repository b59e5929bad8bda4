using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// The fold-conv pass computes a crop of a stride-1 convolution (the data gradient of a
/// convolution over a zero-padded input, cropped by the pad's adjoint) over the cropped grid
/// only, also through the add of a strided convolution's gradient onto the same padded grid
/// (MgNO's smoother and restriction both read the padded u), and the float64 interpreter gives
/// the same values as for the fold onto the padded grid and its crop.
/// </summary>
public sealed class CropIntoConvolutionTests
{
    [Theory]
    [InlineData(3, 1, false)]
    [InlineData(3, 1, true)]
    [InlineData(5, 2, false)]
    [InlineData(3, 2, true)]
    public void TheDataGradientOntoAPaddedGridIsComputedOnlyOverTheInput(int kernel, int pad, bool withStridedGradient)
    {
        var graph = PaddedDataGradient(kernel, pad, withStridedGradient, readElsewhere: false);

        var rewritten = new FoldAsConvolution().Run(graph);

        // Every contraction over the stride-1 window computes the 6 × 5 input, none the padded grid.
        var convolution = Assert.Single(rewritten.Nodes, n => n.Op is ContractOp && n.Inputs.Any(i => i.Op is UnfoldOp { Window.StrideH: 1 } unfold
            && unfold.Window.KernelH == kernel));
        Assert.Equal([6, 5], convolution.Type.Shape.Dims.Skip(2).Select(d => (int)d.FixedSize));
        Assert.DoesNotContain(rewritten.Nodes, n => n.Op is SliceOp && n.Inputs[0].Op is BinaryOp or ContractOp);
        AssertSameValues(graph, rewritten, "dx", 1e-12);
    }

    [Fact]
    public void TheGradientOntoThePaddedGridReadElsewhereIsComputedOnce()
    {
        // The padded grid's gradient is an output too: cropping the convolution would compute it twice.
        var graph = PaddedDataGradient(3, 1, withStridedGradient: true, readElsewhere: true);

        var rewritten = new FoldAsConvolution().Run(graph);

        Assert.Contains(rewritten.Nodes, n => n.Op is SliceOp && n.Inputs[0].Op is BinaryOp);
        AssertSameValues(graph, rewritten, "dx", 1e-12);
    }

    // The gradient of a 6 × 5 input x, zero-padded by `pad`, read by a stride-1 k × k convolution
    // (3 channels to 4) and, with `withStridedGradient`, a stride-2 3 × 3 one (3 to 2): each
    // convolution's data gradient folds its columns onto the padded grid, the two are added, and
    // the pad's adjoint crops the sum to the input. `readElsewhere` makes the sum an output too.
    private static Graph PaddedDataGradient(int kernel, int pad, bool withStridedGradient, bool readElsewhere)
    {
        var (height, width) = (6 + 2 * pad, 5 + 2 * pad);
        var b = new GraphBuilder("g");
        var dy = b.Input("dy", TensorType.F32(Shape.Of(2, 4, height - kernel + 1, width - kernel + 1)));
        var weights = b.Input("w", TensorType.F32(Shape.Of(4, 3, kernel, kernel)));
        var columns = b.Contract(dy, weights, [0, 1, 2, 3], [1, 4, 5, 6], [0, 4, 5, 6, 2, 3]);
        var padded = b.Add(new FoldOp(Window2d.Square(kernel, 1), height, width), columns);
        if (withStridedGradient)
        {
            var strided = Window2d.Square(3, 2);
            var dz = b.Input("dz", TensorType.F32(Shape.Of(2, 2, (height - 3) / 2 + 1, (width - 3) / 2 + 1)));
            var restriction = b.Input("v", TensorType.F32(Shape.Of(2, 3, 3, 3)));
            var stridedColumns = b.Contract(dz, restriction, [0, 1, 2, 3], [1, 4, 5, 6], [0, 4, 5, 6, 2, 3]);
            padded = b.Binary(BinaryKind.Add, b.Add(new FoldOp(strided, height, width), stridedColumns), padded);
        }
        b.Output("dx", b.Add(new SliceOp([new AxisRange(2, pad, pad + 6), new AxisRange(3, pad, pad + 5)]), padded));
        if (readElsewhere)
        {
            b.Output("grid", padded);
        }
        return b.Build();
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
