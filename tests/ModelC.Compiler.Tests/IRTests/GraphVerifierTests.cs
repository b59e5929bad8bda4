using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Tests.IRTests;

/// <summary>The verifier accepts well-formed graphs and names each broken invariant.</summary>
public sealed class GraphVerifierTests
{
    private static readonly TensorType Vector = TensorType.F32(Shape.Of(4));

    [Fact]
    public void AcceptsABuiltGraph()
    {
        var g = new GraphBuilder("ok");
        var x = g.Input("x", TensorType.F32(Shape.Of([Dim.Symbolic("B"), 4])));
        var w = g.Parameter("w", TensorType.F32(Shape.Of(3, 4)), new ConstantInit(1));
        var y = g.Contract(x, w, [0, 1], [2, 1], [0, 2]);
        g.Output("y", y);
        g.Loss(g.Mean(y, 0, 1));
        Assert.Empty(GraphVerifier.Verify(g.Build()));
    }

    [Fact]
    public void RejectsANodeWhoseTypeDisagreesWithItsOp()
    {
        var x = new Node(0, new InputOp("x", Vector), [], Vector, null);
        var wrong = new Node(1, new UnaryOp(UnaryKind.Exp), [x], TensorType.F32(Shape.Of(5)), null);
        var graph = new Graph("bad", [x, wrong], [new GraphOutput("y", wrong, OutputRole.Output)]);
        Assert.Contains("%1 (exp) has type f32[5] but its op gives f32[4]", GraphVerifier.Verify(graph));
    }

    [Fact]
    public void RejectsAUseBeforeDefinition()
    {
        var x = new Node(0, new InputOp("x", Vector), [], Vector, null);
        var y = new Node(1, new UnaryOp(UnaryKind.Neg), [x], Vector, null);
        var graph = new Graph("bad", [y, x], [new GraphOutput("y", y, OutputRole.Output)]);
        Assert.Contains("%1 uses %0, which is not defined before it", GraphVerifier.Verify(graph));
    }

    [Fact]
    public void RejectsInvalidOperandsDuplicateNamesAndBadOutputs()
    {
        var x = new Node(0, new InputOp("x", Vector), [], Vector, null);
        var again = new Node(1, new InputOp("x", Vector), [], Vector, null);
        var sum = new Node(2, new BinaryOp(BinaryKind.Add), [x, new Node(9, new ConstantOp(1, TensorType.F32(Shape.Of(3))), [], TensorType.F32(Shape.Of(3)), null)], Vector, null);
        var state = new Node(3, new StateOp("s", Vector, new ConstantInit(0)), [], Vector, null);
        var graph = new Graph("bad", [x, again, state, sum],
        [
            new GraphOutput("loss", x, OutputRole.Loss),
            new GraphOutput("s", TakeScalar(), OutputRole.StateUpdate),
            new GraphOutput("t", x, OutputRole.StateUpdate),
        ]);
        var errors = GraphVerifier.Verify(graph);
        Assert.Contains("duplicate input x", errors);
        Assert.Contains("%2: add: operands differ: f32[4] and f32[3]", errors);
        Assert.Contains("loss must be f32[], got f32[4]", errors);
        Assert.Contains("update of unknown state t", errors);
        Assert.Contains(errors, e => e.StartsWith("StateUpdate s refers to a node outside the graph", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyOrThrowListsTheViolations()
    {
        var x = new Node(0, new InputOp("x", Vector), [], Vector, null);
        var graph = new Graph("bad", [x], [new GraphOutput("loss", x, OutputRole.Loss)]);
        var error = Assert.Throws<InvalidOperationException>(() => GraphVerifier.VerifyOrThrow(graph));
        Assert.Contains("loss must be f32[]", error.Message);
    }

    private static Node TakeScalar() => new(7, new ConstantOp(0, Vector), [], Vector, null);
}
