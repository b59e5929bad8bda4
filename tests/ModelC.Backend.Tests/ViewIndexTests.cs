using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// How map kernels index through views: a reshape recomputes only the spans of axes it really
/// merges or splits (the last axis of a merge of leading axes stays the loop's own index), and a
/// concatenation along the last axis runs one loop segment per part, where its selects and
/// clamps fold away (<see cref="LoopSegments"/>, <see cref="LoopSpecialization"/>). Each checked against the interpreter, with the
/// same bits on 1 and 2 threads.
/// </summary>
public sealed class ViewIndexTests
{
    /// <summary>A reshape that merges leading axes leaves the last axis's index alone: the load's last index is the loop's variable.</summary>
    [Fact]
    public void MergingLeadingAxesKeepsTheLastIndex()
    {
        var b = new SweepCaseBuilder("reshape_merge_leading");
        var reshaped = b.Graph.Add(new ReshapeOp(Shape.Of(2, 64, 12)), b.Graph.Unary(UnaryKind.Exp, b.Floats([2, 8, 8, 12])));
        var sweep = b.Build(b.Graph.Binary(BinaryKind.Add, reshaped, b.Floats([2, 64, 12])));
        var map = ProgramBuilder.Build(sweep.Graph).Kernels.OfType<MapKernel>().Last();
        var loads = ExprWalker.Loads(map.Body).Where(l => l.Indices.Length == 4).ToList();
        Assert.NotEmpty(loads);
        Assert.All(loads, l => Assert.Equal(map.Loops[^1].Var, l.Indices[^1]));
        AssertMatchesInterpreter(sweep);
    }

    /// <summary>Reshapes whose axes line up in several ways (size-1 axes on either side, spans that do not line up) read the right elements.</summary>
    [Theory]
    [InlineData(new[] { 3, 1, 4, 6 }, new[] { 3, 4, 1, 6 })]
    [InlineData(new[] { 2, 6, 4 }, new[] { 2, 4, 6 })]
    [InlineData(new[] { 4, 6, 1 }, new[] { 24 })]
    [InlineData(new[] { 24 }, new[] { 1, 2, 3, 4, 1 })]
    [InlineData(new[] { 5, 6, 7 }, new[] { 30, 7 })]
    public void ReshapesReadTheRightElements(int[] from, int[] to)
    {
        var b = new SweepCaseBuilder($"reshape_{string.Join("x", from)}_to_{string.Join("x", to)}");
        var reshaped = b.Graph.Add(new ReshapeOp(Shape.Of(to)), b.Graph.Unary(UnaryKind.Exp, b.Floats(from)));
        AssertMatchesInterpreter(b.Build(b.Graph.Unary(UnaryKind.Tanh, reshaped)));
    }

    /// <summary>
    /// A concatenation along the last axis, with rows enough for one loop per row and too few
    /// (the last axis then cut into parallel chunks that straddle the parts).
    /// </summary>
    [Theory]
    [InlineData(40)]
    [InlineData(2)]
    public void ConcatenationAlongTheLastAxis(int rows)
    {
        var b = new SweepCaseBuilder($"concat_last_{rows}");
        var parts = new[] { 40, 50, 30 }.Select(width => b.Floats([rows, width])).ToArray();
        AssertMatchesInterpreter(b.Build(b.Graph.Add(new ConcatOp(1), parts)));
    }

    /// <summary>The concatenation's body is cut at each part's offset, and in each segment reads its part alone, at the shifted index.</summary>
    [Fact]
    public void EachSegmentReadsOnePart()
    {
        var b = new SweepCaseBuilder("concat_segments");
        var parts = new[] { 5, 16, 11 }.Select(width => b.Floats([3, width])).ToArray();
        var map = Assert.Single(ProgramBuilder.Build(b.Build(b.Graph.Add(new ConcatOp(1), parts)).Graph).Kernels.OfType<MapKernel>());
        var var = map.Loops[^1].Var;
        Assert.Equal([5L, 21L], LoopSegments.Cuts(map.Body, var));
        foreach (var (low, high) in new[] { (0L, 5L), (5L, 21L), (21L, 32L) })
        {
            var load = Assert.IsType<Load>(LoopSpecialization.Specialize(map.Body, var, low, high));
            Assert.Equal(low == 0 ? var : IndexMath.Sub(var, IndexMath.Const(low)), load.Indices[^1]);
        }
    }

    private static void AssertMatchesInterpreter(SweepCase sweep)
    {
        var run = CompiledRun.Execute(sweep.Graph, sweep.Inputs, 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }
}
