using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Passes;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>Hash-consing: which nodes are the same value, and what the merged graph keeps.</summary>
public sealed class CommonSubexpressionEliminationTests
{
    private static readonly TensorType Matrix = TensorType.F32(Shape.Of(2, 3));

    [Fact]
    public void EqualNodesMergeKeepingTheFirstScope()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        b.Scope = "first";
        var e1 = b.Unary(UnaryKind.Exp, x);
        b.Scope = "second";
        var e2 = b.Unary(UnaryKind.Exp, x);
        b.Output("y", b.Binary(BinaryKind.Add, b.Unary(UnaryKind.Tanh, e1), b.Unary(UnaryKind.Tanh, e2)));

        var graph = Cse(b.Build());

        Assert.Equal(["input", "exp", "tanh", "add"], graph.Nodes.Select(n => n.Op.Mnemonic));
        Assert.Equal("first", graph.Nodes[1].Scope);
        var sum = graph.Outputs[0].Value;
        Assert.Same(sum.Inputs[0], sum.Inputs[1]);
    }

    [Fact]
    public void ArrayAttributesCompareByValue()
    {
        // Each op gets its own array: records alone would compare them by reference.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var w = b.Parameter("w", TensorType.F32(Shape.Of(3, 4)), new ConstantInit(1));
        Node Branch() => b.Reduce(ReduceKind.Sum, b.Permute(b.Contract(x, w, [0, 1], [1, 2], [0, 2]), [1, 0]), [0]);
        b.Output("y", b.Binary(BinaryKind.Add, Branch(), Branch()));

        var graph = Cse(b.Build());

        Assert.Equal(["input", "param", "contract", "permute", "reduce_sum", "add"], graph.Nodes.Select(n => n.Op.Mnemonic));
    }

    [Fact]
    public void ConstantsMergeByValueBitsAndType()
    {
        var b = new GraphBuilder("g");
        Node[] constants =
        [
            b.Constant(0, Matrix), b.Constant(0, Matrix), b.Constant(-0.0, Matrix),
            b.Constant(0, TensorType.F32(Shape.Of(3, 2))), b.Constant(double.NaN, Matrix), b.Constant(double.NaN, Matrix),
        ];
        for (var i = 0; i < constants.Length; i++)
        {
            b.Output($"c{i}", constants[i]);
        }

        var graph = Cse(b.Build());

        Assert.Equal(["0 : f32[2,3]", "-0 : f32[2,3]", "0 : f32[3,2]", "NaN : f32[2,3]"],
            graph.Nodes.Select(n => $"{n.Op.FormatAttributes()} : {n.Type}"));
        Assert.Same(graph.Outputs[0].Value, graph.Outputs[1].Value);
        Assert.Same(graph.Outputs[4].Value, graph.Outputs[5].Value);
    }

    [Fact]
    public void ParametersAndStatesAreNeverMergedAlikeAsTheyLook()
    {
        var b = new GraphBuilder("g");
        b.Output("a", b.Unary(UnaryKind.Neg, b.Parameter("p", Matrix, new ConstantInit(0))));
        b.Output("b", b.Unary(UnaryKind.Neg, b.Parameter("q", Matrix, new ConstantInit(0))));
        b.Output("c", b.State("s", Matrix, new ConstantInit(0)));
        var graph = b.Build();

        Assert.Same(graph, Cse(graph));
    }

    [Fact]
    public void AGraphWithoutRepeatsIsReturnedAsItIs()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        b.Output("y", b.Unary(UnaryKind.Exp, x));
        var graph = b.Build();
        Assert.Same(graph, Cse(graph));
    }

    [Fact]
    public void TheMergedGraphComputesTheSameResults()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var square = b.Binary(BinaryKind.Mul, x, x);
        b.Output("y", b.Binary(BinaryKind.Sub, b.Binary(BinaryKind.Mul, x, x), b.Unary(UnaryKind.Exp, square)));
        b.Output("z", b.Binary(BinaryKind.Mul, x, x));
        var graph = b.Build();
        var inputs = new Dictionary<string, HostTensor> { ["x"] = HostTensor.Create([2, 3], [1, -2, 0.5, 3, -0.25, 0]) };

        var before = ReferenceInterpreter.Run(graph, inputs, new Dictionary<string, HostTensor>());
        var after = ReferenceInterpreter.Run(Cse(graph), inputs, new Dictionary<string, HostTensor>());

        Assert.Equal(["input", "mul", "exp", "sub"], Cse(graph).Nodes.Select(n => n.Op.Mnemonic));
        Assert.Equal(before.Outputs["y"].ToArray(), after.Outputs["y"].ToArray());
        Assert.Equal(before.Outputs["z"].ToArray(), after.Outputs["z"].ToArray());
    }

    private static Graph Cse(Graph graph) => GraphPipeline.Run(graph, [new CommonSubexpressionElimination()]).Graph;
}
