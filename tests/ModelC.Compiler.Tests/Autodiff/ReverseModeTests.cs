using ModelC.Compiler.Autodiff;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Lowering;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Autodiff;

/// <summary>The pass's contract: what it differentiates, what it leaves out, and how it refuses misuse.</summary>
public sealed class ReverseModeTests
{
    private static readonly TensorType Vector3 = TensorType.F32(Shape.Of(3));

    [Fact]
    public void GradientsAccumulateWherePathsMeet()
    {
        // loss = Σ (x·x + x) → ∂/∂x = 2x + 1.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector3);
        b.Loss(b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Add, b.Binary(BinaryKind.Mul, x, x), x), 0));
        var graph = ReverseMode.Differentiate(b.Build(), [x]);

        var result = ReferenceInterpreter.Run(graph, new Dictionary<string, HostTensor> { ["x"] = HostTensor.Vector(1, -2, 0.5) }, new Dictionary<string, HostTensor>());

        Assert.Equal([3.0, -3.0, 2.0], result.Gradients["x"].ToArray());
        Assert.Contains("gradient x = %", GraphPrinter.Print(graph), StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyWhatTheLossNeedsIsDifferentiated()
    {
        // The output exp(x) is not on the loss's path, and the constant factor needs no adjoint:
        // the backward pass is one broadcast and one multiply, and the parameter p the loss
        // ignores gets zeros.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector3);
        var p = b.Parameter("p", Vector3, new ConstantInit(0));
        b.Output("e", b.Unary(UnaryKind.Exp, x));
        b.Output("p_out", p);
        b.Loss(b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, x, 2.0), 0));
        var original = b.Build();
        var graph = ReverseMode.Differentiate(original, [x, p]);

        var added = graph.Nodes.Skip(original.Nodes.Length).Select(n => n.Op.Mnemonic).ToList();
        Assert.Equal(["const", "broadcast", "mul", "const"], added);
        var result = ReferenceInterpreter.Run(graph, new Dictionary<string, HostTensor> { ["x"] = HostTensor.Vector(1, 2, 3) }, new Dictionary<string, HostTensor> { ["p"] = HostTensor.Vector(4, 5, 6) });
        Assert.Equal([2.0, 2.0, 2.0], result.Gradients["x"].ToArray());
        Assert.Equal([0.0, 0.0, 0.0], result.Gradients["p"].ToArray());
    }

    [Fact]
    public void MaxSplitsTheAdjointOnTies()
    {
        // As torch.maximum: where a == b each operand gets half.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector3);
        var y = b.Input("y", Vector3);
        b.Loss(b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Max, x, y), 0));
        var graph = ReverseMode.Differentiate(b.Build(), [x, y]);

        var result = ReferenceInterpreter.Run(graph, new Dictionary<string, HostTensor>
        {
            ["x"] = HostTensor.Vector(1, 2, 3),
            ["y"] = HostTensor.Vector(0, 2, 4),
        }, new Dictionary<string, HostTensor>());

        Assert.Equal([1.0, 0.5, 0.0], result.Gradients["x"].ToArray());
        Assert.Equal([0.0, 0.5, 1.0], result.Gradients["y"].ToArray());
    }

    [Fact]
    public void AReductionThatStopsTheGradientIsAConstant()
    {
        // loss = Σx · max(x) with the maximum a constant: ∂/∂x = max(x) everywhere (with the
        // gradient through the maximum, the largest element would get Σx more).
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector3);
        var max = b.Add(new ReduceOp(ReduceKind.Max, [0], StopsGradient: true), x);
        b.Loss(b.Binary(BinaryKind.Mul, b.Reduce(ReduceKind.Sum, x, 0), max));
        var graph = ReverseMode.Differentiate(b.Build(), [x]);

        var result = ReferenceInterpreter.Run(graph, new Dictionary<string, HostTensor> { ["x"] = HostTensor.Vector(1, 2, 3) }, new Dictionary<string, HostTensor>());

        Assert.Equal([3.0, 3.0, 3.0], result.Gradients["x"].ToArray());
    }

    [Fact]
    public void LogSoftmaxBackwardSkipsTheShiftByTheMaximum()
    {
        // loss = Σ w · log_softmax(x) → ∂/∂x = w − softmax(x) · Σw, with no mask of maxima
        // (compare) in the backward pass.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector3);
        var w = b.Input("w", Vector3);
        b.Loss(b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, w, Activations.LogSoftmax(b, x, 0)), 0));
        var original = b.Build();
        var graph = ReverseMode.Differentiate(original, [x]);

        Assert.DoesNotContain(graph.Nodes.Skip(original.Nodes.Length), n => n.Op is CompareOp);
        var (xs, ws) = (new[] { 0.5, 2.0, 2.0 }, new[] { 1.0, -2.0, 0.25 });
        var result = ReferenceInterpreter.Run(graph, new Dictionary<string, HostTensor> { ["x"] = HostTensor.Vector(xs), ["w"] = HostTensor.Vector(ws) }, new Dictionary<string, HostTensor>());
        var total = xs.Sum(Math.Exp);
        var expected = xs.Select((v, i) => ws[i] - Math.Exp(v) / total * ws.Sum()).ToArray();
        var actual = result.Gradients["x"].ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-12);
        }
    }

    [Fact]
    public void DefaultsToEveryParameter()
    {
        var b = new GraphBuilder("g");
        var w = b.Parameter("w", Vector3, new ConstantInit(0));
        var x = b.Input("x", Vector3);
        b.Loss(b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, w, x), 0));
        var graph = ReverseMode.Differentiate(b.Build());

        Assert.Equal(["w"], graph.Outputs.Where(o => o.Role == OutputRole.Gradient).Select(o => o.Name));
        Assert.Empty(GraphVerifier.Verify(graph));
    }

    [Fact]
    public void RefusesAGraphWithoutLoss()
    {
        var b = new GraphBuilder("g");
        b.Output("y", b.Input("x", Vector3));
        var error = Assert.Throws<ArgumentException>(() => ReverseMode.Differentiate(b.Build()));
        Assert.StartsWith("graph g has no loss to differentiate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesLeavesThatCannotHaveGradients()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector3);
        var ids = b.Input("ids", new TensorType(ElementType.I32, Shape.Of(3)));
        b.Loss(b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Add, x, b.Cast(ids, ElementType.F32)), 0));
        var graph = b.Build();

        var integer = Assert.Throws<ArgumentException>(() => ReverseMode.Differentiate(graph, [ids]));
        Assert.StartsWith("%1 = input : i32[3] is not an f32 input or parameter of graph g", integer.Message, StringComparison.Ordinal);
        var inner = Assert.Throws<ArgumentException>(() => ReverseMode.Differentiate(graph, [graph.Loss!]));
        Assert.Contains("is not an f32 input or parameter of graph g", inner.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifierRejectsAGradientOfTheWrongType()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector3);
        b.Gradient("x", b.Reduce(ReduceKind.Sum, x, 0));
        b.Gradient("nothing", x);

        Assert.Equal(
            ["gradient x of type f32[] matches no input or parameter of that type", "gradient nothing of type f32[3] matches no input or parameter of that type"],
            GraphVerifier.Verify(b.Build()).ToArray());
    }
}
