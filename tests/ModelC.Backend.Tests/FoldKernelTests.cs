using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Tests;

/// <summary>
/// The shape of a fold's (col2im's) kernel: each output element sums only the window taps that
/// can reach it (its values are checked against the interpreter by the primitive sweep).
/// </summary>
public sealed class FoldKernelTests
{
    /// <summary>Undilated with stride s, a position is reached by ⌈k/s⌉ taps per axis, not k.</summary>
    [Theory]
    [InlineData(4, 2, 1, 2)]
    [InlineData(3, 2, 1, 2)]
    [InlineData(2, 3, 1, 1)]
    [InlineData(3, 1, 1, 3)]
    [InlineData(3, 2, 2, 3)]
    public void AFoldSumsTheTapsThatReachAPosition(int kernel, int stride, int dilation, int taps)
    {
        var window = Window2d.Square(kernel, stride, dilation);
        var size = dilation * (kernel - 1) + 1 + 3 * stride;
        var positions = Window2d.Positions(size, kernel, stride, dilation);
        var b = new GraphBuilder("g");
        var columns = b.Input("x", TensorType.F32(Shape.Of(2, kernel, kernel, positions, positions)));
        b.Output("y", b.Add(new FoldOp(window, size, size), columns));
        var fold = Assert.Single(ProgramBuilder.Build(b.Build()).Kernels.OfType<MapKernel>());
        var sum = Assert.IsType<Reduce>(fold.Body);
        Assert.Equal([taps, taps], sum.Extents.Select(e => Assert.IsType<IndexConst>(e).Value));
    }
}
