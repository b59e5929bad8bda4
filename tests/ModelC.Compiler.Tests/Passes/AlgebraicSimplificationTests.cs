using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// Each rewrite of the simplification pass, and the ones it must not make because they are not
/// exact in IEEE arithmetic. Every case reads input x (f32[2,3]) and prints what is left of its
/// one output after simplification and dead-code elimination.
/// </summary>
public sealed class AlgebraicSimplificationTests
{
    private static readonly TensorType Matrix = TensorType.F32(Shape.Of(2, 3));

    public static TheoryData<string, Func<GraphBuilder, Node, Node>, string> Rewrites() => new()
    {
        { "x·1", (b, x) => b.Binary(BinaryKind.Mul, x, 1.0), "x" },
        { "1·x", (b, x) => b.Binary(BinaryKind.Mul, b.Filled(1.0, x), x), "x" },
        { "x/1", (b, x) => b.Binary(BinaryKind.Div, x, 1.0), "x" },
        { "x+(−0)", (b, x) => b.Binary(BinaryKind.Add, x, -0.0), "x" },
        { "(−0)+x", (b, x) => b.Binary(BinaryKind.Add, b.Filled(-0.0, x), x), "x" },
        { "x−0", (b, x) => b.Binary(BinaryKind.Sub, x, 0.0), "x" },
        { "−(−x)", (b, x) => b.Unary(UnaryKind.Neg, b.Unary(UnaryKind.Neg, x)), "x" },
        { "max(x, x)", (b, x) => b.Binary(BinaryKind.Max, x, x), "x" },
        { "select(true, x, −x)", (b, x) => b.Select(b.Constant(1, new TensorType(ElementType.Bool, x.Type.Shape)), x, b.Unary(UnaryKind.Neg, x)), "x" },
        { "select(c, x, x)", (b, x) => b.Select(b.Compare(CompareKind.Gt, x, b.Filled(0, x)), x, x), "x" },
        { "cast to its own type", (b, x) => b.Add(new CastOp(ElementType.F32), x), "x" },
        { "·1 after folding a broadcast 1", (b, x) => b.Binary(BinaryKind.Mul, x, b.BroadcastTo(b.Constant(1, TensorType.ScalarF32), x.Type.Shape)), "x" },
        { "reshape back", (b, x) => b.Reshape(b.Reshape(x, Shape.Of(6)), Shape.Of(2, 3)), "x" },
        { "reshape of reshape", (b, x) => b.Reshape(b.Reshape(x, Shape.Of(6)), Shape.Of(3, 2)), "reshape[[3,2]](x)" },
        { "permute back", (b, x) => b.Permute(b.Permute(x, 1, 0), 1, 0), "x" },
        { "broadcast of broadcast", (b, x) => b.BroadcastAlong(b.BroadcastAlong(x, Shape.Of(4, 2, 3), 1, 2), Shape.Of(5, 4, 2, 3), 1, 2, 3), "broadcast[[5,4,2,3], axes=[2,3]](x)" },
        { "broadcast to its own shape", (b, x) => b.Add(new BroadcastOp(x.Type.Shape, [0, 1]), x), "x" },
        { "broadcast scalar constant", (b, x) => b.Binary(BinaryKind.Add, x, b.BroadcastTo(b.Constant(2, TensorType.ScalarF32), x.Type.Shape)), "add(x, const[2])" },
        { "full-range slice", (b, x) => b.Add(new SliceOp([new AxisRange(1, 0, 3)]), x), "x" },
        { "slice of slice", (b, x) => b.Slice(b.Slice(x, 1, 1, 3), 1, 1, 2), "slice[1:2..3](x)" },
        { "slices of two axes", (b, x) => b.Slice(b.Slice(x, 1, 0, 2), 0, 1, 2), "slice[1:0..2, 0:1..2](x)" },
        { "no padding", (b, x) => b.Add(new PadOp([new AxisPadding(0, 0, 0)], 0), x), "x" },
        { "concat of one", (b, x) => b.Add(new ConcatOp(0), x), "x" },
        { "reverse twice", (b, x) => b.Add(new ReverseOp([1]), b.Add(new ReverseOp([1]), x)), "x" },
        { "reverse of reverse", (b, x) => b.Add(new ReverseOp([0, 1]), b.Add(new ReverseOp([1]), x)), "reverse[0](x)" },
        { "unfold of a constant", (b, x) => b.Binary(BinaryKind.Add, x, b.Reshape(b.Add(new UnfoldOp(Window2d.Square(1, 1)), b.Filled(3, x)), Shape.Of(2, 3))), "add(x, const[3])" },
        { "pad of a constant with its value", (b, x) => b.Binary(BinaryKind.Add, x, b.Add(new PadOp([new AxisPadding(1, 1, 0)], 3), b.Constant(3, TensorType.F32(Shape.Of(2, 2))))), "add(x, const[3])" },
        { "folded arithmetic", (b, x) => b.Binary(BinaryKind.Mul, x, b.Binary(BinaryKind.Add, b.Filled(1, x), b.Filled(2, x))), "mul(x, const[3])" },
    };

    public static TheoryData<string, Func<GraphBuilder, Node, Node>, string> Kept() => new()
    {
        // −0 + 0 = +0: dropping "+ 0" would turn a −0 into −0.
        { "x+0", (b, x) => b.Binary(BinaryKind.Add, x, 0.0), "add(x, const[0])" },
        // x − (−0) = x + 0, the same.
        { "x−(−0)", (b, x) => b.Binary(BinaryKind.Sub, x, -0.0), "sub(x, const[-0])" },
        // 0·∞ is NaN, and 0·(−1) is −0.
        { "x·0", (b, x) => b.Binary(BinaryKind.Mul, x, 0.0), "mul(x, const[0])" },
        // ∞ − ∞ is NaN.
        { "x−x", (b, x) => b.Binary(BinaryKind.Sub, x, x), "sub(x, x)" },
        // The kernels compute exp with an approximation of their own: folding must not guess it.
        { "exp of a constant", (b, x) => b.Binary(BinaryKind.Mul, x, b.Unary(UnaryKind.Exp, b.Filled(1, x))), "mul(x, exp(const[1]))" },
        // A sum's rounding depends on its order and length: no folding of reductions.
        { "sum of a constant", (b, x) => b.Binary(BinaryKind.Mul, x, b.Reduce(ReduceKind.Sum, b.Constant(0.1, TensorType.F32(Shape.Of(2, 3, 7))), 2)), "mul(x, reduce_sum[2](const[0.1]))" },
        { "pad of a constant with another value", (b, x) => b.Binary(BinaryKind.Add, x, b.Add(new PadOp([new AxisPadding(1, 1, 0)], 0), b.Constant(3, TensorType.F32(Shape.Of(2, 2))))), "add(x, pad[1:1+0, value=0](const[3]))" },
    };

    [Theory]
    [MemberData(nameof(Rewrites))]
    public void Simplifies(string name, Func<GraphBuilder, Node, Node> build, string expected) =>
        Assert.True(Simplified(build) == expected, $"{name}: got {Simplified(build)}");

    [Theory]
    [MemberData(nameof(Kept))]
    public void LeavesWhatIsNotExact(string name, Func<GraphBuilder, Node, Node> build, string expected) =>
        Assert.True(Simplified(build) == expected, $"{name}: got {Simplified(build)}");

    [Fact]
    public void ComposedViewsReadTheSameElements()
    {
        // permute∘permute, broadcast∘broadcast and slice∘slice: the composed view must select
        // exactly the elements the chain did.
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 3, 4)));
        var permuted = b.Permute(b.Permute(x, 1, 2, 0), 1, 0, 2);
        var sliced = b.Slice(b.Slice(b.Slice(permuted, 0, 1, 4), 1, 0, 2), 0, 1, 3);
        var spread = b.BroadcastAlong(b.BroadcastAlong(sliced, Shape.Of(2, 2, 2, 5), 0, 1, 2), Shape.Of(6, 2, 2, 2, 5), 1, 2, 3, 4);
        b.Output("y", spread);
        var graph = b.Build();
        var inputs = new Dictionary<string, HostTensor> { ["x"] = HostTensor.FromFunction([2, 3, 4], i => 100 * i[0] + 10 * i[1] + i[2]) };

        var simplified = Run(graph);

        Assert.Equal(["input", "permute", "slice", "broadcast"], simplified.Nodes.Select(n => n.Op.Mnemonic));
        Assert.Equal(
            ReferenceInterpreter.Run(graph, inputs, new Dictionary<string, HostTensor>()).Outputs["y"].ToArray(),
            ReferenceInterpreter.Run(simplified, inputs, new Dictionary<string, HostTensor>()).Outputs["y"].ToArray());
    }

    [Fact]
    public void AGraphWithNothingToSimplifyIsReturnedAsItIs()
    {
        var b = new GraphBuilder("g");
        b.Output("y", b.Binary(BinaryKind.Add, b.Input("x", Matrix), 0.0));
        var graph = b.Build();
        Assert.Same(graph, new AlgebraicSimplification().Run(graph));
    }

    private static Graph Run(Graph graph) => GraphPipeline.Run(graph, [new AlgebraicSimplification(), new DeadCodeElimination()]).Graph;

    private static string Simplified(Func<GraphBuilder, Node, Node> build)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        b.Output("y", build(b, x));
        return Describe(Run(b.Build()).Outputs[0].Value);
    }

    // The output's expression, leaves by name: add(x, const[3]).
    private static string Describe(Node node)
    {
        if (node.Op is InputOp input)
        {
            return input.Name;
        }
        var attributes = node.Op.FormatAttributes();
        var head = node.Op.Mnemonic + (attributes.Length > 0 ? $"[{attributes}]" : "");
        return node.Inputs.IsEmpty ? head : $"{head}({string.Join(", ", node.Inputs.Select(Describe))})";
    }
}
