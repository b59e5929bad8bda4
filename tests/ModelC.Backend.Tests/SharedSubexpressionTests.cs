using System.Text.RegularExpressions;
using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Llvm;
using ModelC.Llvm.Interop;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// A value with several readers in one kernel is one expression object, emitted once: the
/// optimizer's gradient norm (a sum over every gradient, read by a finiteness test and a scale)
/// was a reduction loop per reader. Values emitted in a loop body or for one lane are not reused
/// outside it.
/// </summary>
public sealed partial class SharedSubexpressionTests
{
    private static readonly LoopVar Term = new(0);

    [Fact]
    public void ANodeReadTwiceAtOneIndexIsOneExpression()
    {
        var b = new GraphBuilder("shared");
        var total = b.Reduce(ReduceKind.Sum, b.Input("x", TensorType.F32(Shape.Of(100))), [0]);
        b.Output("y", b.Binary(BinaryKind.Mul, total, total));
        var kernel = Assert.Single(ProgramBuilder.Build(b.Build()).Kernels.OfType<MapKernel>());

        var product = Assert.IsType<Binary>(kernel.Body);
        Assert.IsType<Reduce>(product.Left);
        Assert.Same(product.Left, product.Right);
    }

    [Fact]
    public void ASharedReductionIsOneLoop()
    {
        var sum = new Reduce(ReduceKind.Sum, [Term], [IndexMath.Const(100)], new Cast(ScalarType.F32, Term));
        var once = Loops(EmittedIr(sum));

        Assert.Equal(once, Loops(EmittedIr(new Binary(BinaryKind.Mul, sum, sum))));
        // Equal but distinct objects are separate reductions, as before.
        var copy = sum with { };
        Assert.Equal(2 * once, Loops(EmittedIr(new Binary(BinaryKind.Mul, sum, copy))));
    }

    [Fact]
    public void ATermSharedWithinALaneIsEmittedPerLane()
    {
        var term = new Cast(ScalarType.F32, Term);
        var sum = new Reduce(ReduceKind.Sum, [Term], [IndexMath.Const(100)], new Binary(BinaryKind.Mul, term, term));

        // One conversion for each of the SumLanes lanes of a group and one in the loop over the terms left over.
        Assert.Equal(ExprEmitter.SumLanes + 1, Regex.Matches(EmittedIr(sum), @"= sitofp ").Count);
    }

    [Fact]
    public void AValueSharedInsideAReductionAndAfterItIsValidEitherWayRound()
    {
        // (Σ_j t·j) + t and t + Σ_j t·j, t one reduction object (EmittedIr verifies each module):
        // emitted first in the loop body, t is computed again after the loop, where the body's
        // value does not dominate; emitted first outside, the body reuses it, so fewer loops.
        var t = new Reduce(ReduceKind.Sum, [Term], [IndexMath.Const(100)], new Cast(ScalarType.F32, Term));
        var j = new LoopVar(1);
        var weighted = new Reduce(ReduceKind.Sum, [j], [IndexMath.Const(100)], new Binary(BinaryKind.Mul, t, new Cast(ScalarType.F32, j)));

        var insideFirst = Loops(EmittedIr(new Binary(BinaryKind.Add, weighted, t)));
        var outsideFirst = Loops(EmittedIr(new Binary(BinaryKind.Add, t, weighted)));

        Assert.True(outsideFirst < insideFirst, $"{outsideFirst} loops with t emitted first, {insideFirst} with the sum first");
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(ExprEmitter.SumLanes - 1, false)]
    [InlineData(ExprEmitter.SumLanes, true)]
    public void OnlyALoopAsLongAsAGroupIsEmittedInLanes(int length, bool lanes)
    {
        var sum = new Reduce(ReduceKind.Sum, [Term], [IndexMath.Const(length)], new Cast(ScalarType.F32, Term));

        Assert.Equal(lanes, EmittedIr(sum).Contains("insertelement", StringComparison.Ordinal));
    }

    [Fact]
    public void ASharedReductionKeepsItsValue()
    {
        var values = Enumerable.Range(0, 100).Select(i => (double)(i % 7) - 3).ToArray();
        var b = new GraphBuilder("shared");
        var total = b.Reduce(ReduceKind.Sum, b.Input("x", TensorType.F32(Shape.Of(100))), [0]);
        b.Output("y", b.Binary(BinaryKind.Add, b.Binary(BinaryKind.Mul, total, total), total));
        var run = CompiledRun.Execute(b.Build(), new Dictionary<string, HostTensor> { ["x"] = HostTensor.Create([100], values) }, 1, 2);

        run.AssertRunsIdentical();
        var sum = values.Sum();
        Assert.Equal(sum * sum + sum, run.Compiled["y"].Data[0]);
    }

    private static int Loops(string ir) => LoopHeader().Matches(ir).Count;

    [GeneratedRegex(@"^loop\d*:", RegexOptions.Multiline)]
    private static partial Regex LoopHeader();

    // The unoptimised, verified IR of a function that returns the value of an expression without loads.
    private static string EmittedIr(Expr expr) => EmittedFunction.Ir(e => e.FunctionType(e.F32), (_, _, x) => x.Emit(expr));
}
