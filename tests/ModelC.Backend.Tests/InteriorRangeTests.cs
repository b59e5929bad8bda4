using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Lowering;

namespace ModelC.Backend.Tests;

/// <summary>
/// The interior of a map kernel's last axis, where a pad's bounds tests and clamps are decided
/// and the loop runs without them (the body specialised to it) (the values are checked against the interpreter by the
/// primitive sweep's pads, 1 and 2 threads).
/// </summary>
public sealed class InteriorRangeTests
{
    [Fact]
    public void APadsInteriorIsItsInputAndHasNoTests()
    {
        var kernel = PadKernel(low: 2, high: 1, width: 5);
        var interior = InteriorRange.Of(kernel.Body, kernel.Loops[^1].Var);
        Assert.NotNull(interior);
        Assert.Equal((2L, 7L), (interior.Low, interior.High));
        Assert.DoesNotContain(Walk(InteriorBody(kernel, interior)), e => e is Select or Compare or IndexBinary { Op: IndexOp.Min or IndexOp.Max });
        Assert.Contains(Walk(kernel.Body), e => e is Select);
    }

    [Fact]
    public void TestsOnOtherAxesStay()
    {
        // The height's bounds test is the row's, not the last axis's: it stays in the interior.
        var kernel = PadKernel(low: 1, high: 1, width: 4, alsoHeight: true);
        var interior = InteriorRange.Of(kernel.Body, kernel.Loops[^1].Var);
        Assert.NotNull(interior);
        Assert.Equal((1L, 5L), (interior.Low, interior.High));
        Assert.Contains(Walk(InteriorBody(kernel, interior)), e => e is Select);
    }

    [Fact]
    public void ABodyWithoutTestsHasNoInterior()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(3, 4)));
        b.Output("y", b.Unary(UnaryKind.Exp, x));
        var kernel = Assert.Single(ProgramBuilder.Build(b.Build()).Kernels.OfType<MapKernel>());
        Assert.Null(InteriorRange.Of(kernel.Body, kernel.Loops[^1].Var));
    }

    [Fact]
    public void ContradictoryTestsHaveNoInterior()
    {
        var v = new LoopVar(0);
        var body = new Select(
            new Select(new Compare(CompareKind.Lt, v, IndexMath.Const(2)), new Compare(CompareKind.Ge, v, IndexMath.Const(5)), new Constant(0, ScalarType.Bool)),
            new Constant(1, ScalarType.F32), new Constant(0, ScalarType.F32));
        Assert.Null(InteriorRange.Of(body, v));
    }

    /// <summary>Each ordered test of j + 2 against 6 bounds the interior on its side, at the first or last j that passes.</summary>
    [Theory]
    [InlineData(CompareKind.Ge, 4L, long.MaxValue)]
    [InlineData(CompareKind.Gt, 5L, long.MaxValue)]
    [InlineData(CompareKind.Lt, long.MinValue, 4L)]
    [InlineData(CompareKind.Le, long.MinValue, 5L)]
    public void EachOrderedTestBoundsTheInterior(CompareKind kind, long low, long high)
    {
        var v = new LoopVar(0);
        var body = new Select(new Compare(kind, IndexMath.Add(v, IndexMath.Const(2)), IndexMath.Const(6)), new Constant(1, ScalarType.F32), new Constant(0, ScalarType.F32));
        Assert.Equal(new InteriorRange(low, high), InteriorRange.Of(body, v));
    }

    [Fact]
    public void AClampedIndexIsSeenThroughItsClamp()
    {
        // min(max(j − 2, 0), 9): the max holds from 2, the min (of j − 2) until 11.
        var v = new LoopVar(0);
        var clamp = IndexMath.Min(IndexMath.Max(IndexMath.Sub(v, IndexMath.Const(2)), IndexMath.Const(0)), IndexMath.Const(9));
        Assert.Equal(new InteriorRange(2, 12), InteriorRange.Of(clamp, v));
    }

    [Fact]
    public void AStridedPoolsInteriorHoldsForItsWholeWindow()
    {
        // A 3×3, stride 2, pad 1 max-pool of 8 columns reads 2·x + j − 1 for j < 3: inside from
        // x = 1 until 2·x + 1 ≤ 7, x = 4. Its pad is read in the pool's kernel, not stored.
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(1, 2, 8, 8)));
        b.Output("y", Convolution.Pool2d(b, x, 3, 2, 1, max: true));
        var kernel = Assert.Single(ProgramBuilder.Build(b.Build()).Kernels.OfType<MapKernel>());
        var interior = InteriorRange.Of(kernel.Body, kernel.Loops[^1].Var);
        Assert.NotNull(interior);
        Assert.Equal((1L, 4L), (interior.Low, interior.High));
        // The height's test stays; the width's goes.
        Assert.True(Walk(InteriorBody(kernel, interior)).Count(e => e is Compare) < Walk(kernel.Body).Count(e => e is Compare));
    }

    private static MapKernel PadKernel(int low, int high, int width, bool alsoHeight = false)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 3, width)));
        var negated = b.Unary(UnaryKind.Neg, x);
        var padding = alsoHeight
            ? new[] { new AxisPadding(1, 1, 1), new AxisPadding(2, low, high) }
            : [new AxisPadding(2, low, high)];
        b.Output("y", b.Add(new PadOp([.. padding], 0), negated));
        return Assert.Single(ProgramBuilder.Build(b.Build()).Kernels.OfType<MapKernel>());
    }

    private static Expr InteriorBody(MapKernel kernel, InteriorRange interior) =>
        LoopSpecialization.Specialize(kernel.Body, kernel.Loops[^1].Var, interior.Low, interior.High);

    private static IEnumerable<Expr> Walk(Expr expr) => [expr, .. ExprWalker.Children(expr).SelectMany(Walk)];
}
