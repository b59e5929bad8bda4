using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// The simplification rules that undo reshapes merging axes, so that GEMM operands and their
/// consumers index the unmerged axes: a contraction over a merge contracts the unmerged
/// source, a permute of a merge permutes whole runs first, an elementwise op of a merge
/// computes before it, a reduction of a merged permute over unmerged axes reduces the permute.
/// Each case checks what is left and that the interpreter computes the same values before and
/// after.
/// </summary>
public sealed class MergedAxesTests
{
    [Fact]
    public void EinspaceConvolutionContractsTheUnfoldWithoutReshapes()
    {
        // einspace's einconv: im2col (pad, unfold, merge to positions × features, transpose),
        // a linear layer with bias, col2im (transpose, split the positions).
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 3, 6, 6)));
        var w = b.Input("w", TensorType.F32(Shape.Of(5, 27)));
        var bias = b.Input("bias", TensorType.F32(Shape.Of(5)));
        var cols = b.Add(new UnfoldOp(Window2d.Square(3, 2)), b.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], 0), x));
        var tokens = b.Permute(b.Reshape(cols, Shape.Of(2, 27, 9)), 0, 2, 1);
        var linear = b.Binary(BinaryKind.Add, b.Contract(tokens, w, [0, 1, 2], [3, 2], [0, 1, 3]), b.BroadcastAlong(bias, Shape.Of(2, 9, 5), 2));
        b.Output("y", b.Reshape(b.Permute(linear, 0, 2, 1), Shape.Of(2, 5, 3, 3)));
        var graph = b.Build();

        var simplified = Simplify(graph);

        // The only reshape left splits the weight's features alike; the output is a permute.
        var reshapes = simplified.Nodes.Where(n => n.Op is ReshapeOp).ToList();
        Assert.Equal(w.Type.Shape, Assert.Single(reshapes).Inputs[0].Type.Shape);
        var contract = Assert.Single(simplified.Nodes, n => n.Op is ContractOp);
        Assert.True(UnfoldOrPermuteOfIt(contract.Inputs[0]));
        Assert.IsType<PermuteOp>(simplified.Outputs[0].Value.Op);
        SameValues(graph, simplified, ("x", [2, 3, 6, 6]), ("w", [5, 27]), ("bias", [5]));
    }

    [Fact]
    public void PermuteOfAMergePermutesWholeRuns()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 3, 4)));
        b.Output("y", b.Permute(b.Reshape(x, Shape.Of(2, 12)), 1, 0));
        var graph = b.Build();

        var simplified = Simplify(graph);

        var y = simplified.Outputs[0].Value;
        Assert.IsType<ReshapeOp>(y.Op);
        Assert.Equal([1, 2, 0], Assert.IsType<PermuteOp>(y.Inputs[0].Op).Permutation.ToArray());
        SameValues(graph, simplified, ("x", [2, 3, 4]));
    }

    [Fact]
    public void ElementwiseOpOfAMergeComputesBeforeIt()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 3, 4)));
        var v = b.Input("v", TensorType.F32(Shape.Of(2)));
        var merged = b.Reshape(x, Shape.Of(2, 12));
        b.Output("y", b.Binary(BinaryKind.Mul, b.Binary(BinaryKind.Add, merged, b.BroadcastAlong(v, Shape.Of(2, 12), 0)), 3.0));
        var graph = b.Build();

        var simplified = Simplify(graph);

        var y = simplified.Outputs[0].Value;
        Assert.IsType<ReshapeOp>(y.Op);
        Assert.Equal(x.Type.Shape, y.Inputs[0].Type.Shape);
        SameValues(graph, simplified, ("x", [2, 3, 4]), ("v", [2]));
    }

    [Fact]
    public void ReductionOfAMergedPermuteReducesThePermute()
    {
        // Attention's bias gradient: heads × features merged back into the model's features,
        // summed over batch and tokens.
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 3, 4, 5)));
        b.Output("y", b.Reduce(ReduceKind.Sum, b.Reshape(b.Permute(x, 0, 2, 1, 3), Shape.Of(2, 4, 15)), 0, 1));
        var graph = b.Build();

        var simplified = Simplify(graph);

        var y = simplified.Outputs[0].Value;
        Assert.IsType<ReshapeOp>(y.Op);
        var sum = Assert.IsType<ReduceOp>(y.Inputs[0].Op);
        Assert.Equal([0, 1], sum.Axes.ToArray());
        Assert.IsType<PermuteOp>(y.Inputs[0].Inputs[0].Op);
        SameValues(graph, simplified, ("x", [2, 3, 4, 5]));
    }

    [Fact]
    public void ReductionOverAMergedAxisOrOfAStoredMergeIsKept()
    {
        // Summing a merged axis would split one sum into nested ones; a merge of a stored
        // tensor is read contiguously as it is.
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 3, 4, 5)));
        b.Output("y", b.Reduce(ReduceKind.Sum, b.Reshape(b.Permute(x, 0, 2, 1, 3), Shape.Of(2, 4, 15)), 2));
        b.Output("z", b.Reduce(ReduceKind.Sum, b.Reshape(b.Input("s", TensorType.F32(Shape.Of(2, 3, 4))), Shape.Of(2, 12)), 0));
        var graph = b.Build();

        var simplified = Simplify(graph);

        Assert.Equal(graph.Nodes.Select(n => n.Op), simplified.Nodes.Select(n => n.Op));
    }

    [Fact]
    public void SplitsAndBroadcastsOfMergedAxesAreKept()
    {
        // A reshape that splits an axis is no merge, a merge of a stored tensor costs nothing
        // (its elements stay contiguous), and a broadcast along a merged axis cannot be
        // computed on the unmerged shape: all stay as they are.
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of(2, 12)));
        var w = b.Input("w", TensorType.F32(Shape.Of(4, 5)));
        var v = b.Input("v", TensorType.F32(Shape.Of(6)));
        var split = b.Contract(b.Reshape(x, Shape.Of(2, 3, 4)), w, [0, 1, 2], [2, 3], [0, 1, 3]);
        var merged = b.Reshape(b.Input("z", TensorType.F32(Shape.Of(2, 3, 4))), Shape.Of(6, 4));
        b.Output("y", split);
        b.Output("t", b.Contract(b.Reshape(b.Input("s", TensorType.F32(Shape.Of(2, 3, 4))), Shape.Of(2, 12)), b.Input("r", TensorType.F32(Shape.Of(12, 5))), [0, 1], [1, 2], [0, 2]));
        b.Output("u", b.Binary(BinaryKind.Add, merged, b.BroadcastAlong(v, Shape.Of(6, 4), 0)));
        var graph = b.Build();

        var simplified = Simplify(graph);

        Assert.Equal(graph.Nodes.Select(n => n.Op), simplified.Nodes.Select(n => n.Op));
    }

    private static bool UnfoldOrPermuteOfIt(Node node) =>
        node.Op is UnfoldOp || node.Op is PermuteOp && node.Inputs[0].Op is UnfoldOp;

    private static Graph Simplify(Graph graph) => GraphPipeline.Run(graph, [new AlgebraicSimplification(), new DeadCodeElimination()]).Graph;

    private static void SameValues(Graph before, Graph after, params (string Name, int[] Shape)[] inputs)
    {
        var values = inputs.ToDictionary(i => i.Name, i => HostTensor.FromFunction(i.Shape, index => Math.Sin(1 + index.Select((v, k) => v * (k + 2)).Sum())));
        var none = new Dictionary<string, HostTensor>();
        foreach (var output in before.Outputs)
        {
            TensorAssert.Close(
                ReferenceInterpreter.Run(before, values, none).Outputs[output.Name],
                ReferenceInterpreter.Run(after, values, none).Outputs[output.Name],
                1e-6, output.Name);
        }
    }
}
