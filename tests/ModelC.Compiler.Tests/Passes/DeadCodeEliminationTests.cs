using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Passes;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>The pass keeps the interface elaboration decided; elaboration's own run may narrow it.</summary>
public sealed class DeadCodeEliminationTests
{
    private static readonly TensorType Vector = TensorType.F32(Shape.Of(3));

    private static Graph WithUnusedLeaves()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector);
        b.Input("label", Vector);
        b.Parameter("unused", Vector, new ConstantInit(0));
        b.State("stats", Vector, new ConstantInit(0));
        b.Unary(UnaryKind.Exp, x);
        b.Output("y", b.Unary(UnaryKind.Neg, x));
        return b.Build();
    }

    [Fact]
    public void ThePassRemovesDeadComputationButKeepsInputsParametersAndStates()
    {
        var graph = new DeadCodeElimination().Run(WithUnusedLeaves());
        Assert.Equal(["input", "input", "param", "state", "neg"], graph.Nodes.Select(n => n.Op.Mnemonic));
    }

    [Theory]
    [InlineData(true, new[] { "input", "input", "neg" })]
    [InlineData(false, new[] { "input", "neg" })]
    public void ElaborationsRunDropsUnusedLeavesAndMayDropInputs(bool keepUnusedInputs, string[] expected)
    {
        var graph = DeadCodeElimination.Run(WithUnusedLeaves(), keepUnusedInputs);
        Assert.Equal(expected, graph.Nodes.Select(n => n.Op.Mnemonic));
    }

    [Fact]
    public void AGraphWithoutDeadNodesIsReturnedAsItIs()
    {
        var b = new GraphBuilder("g");
        b.Output("y", b.Unary(UnaryKind.Neg, b.Input("x", Vector)));
        var graph = b.Build();
        Assert.Same(graph, new DeadCodeElimination().Run(graph));
    }
}
