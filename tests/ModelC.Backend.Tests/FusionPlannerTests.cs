using ModelC.Backend.Cpu;
using ModelC.Backend.Scheduling;
using ModelC.Backend.Targets;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// The planner's rules on small graphs, each read from the ops' fusion patterns: what is stored,
/// what is recomputed where it is read, and which elementwise ops join a contraction's epilogue.
/// </summary>
public sealed class FusionPlannerTests
{
    private static readonly TensorType Matrix = TensorType.F32(Shape.Of(4, 8));

    [Fact]
    public void AnElementwiseValueReadByTwoKernelsIsStored()
    {
        var b = new GraphBuilder("g");
        // (Two maps reading it at their own element would share one kernel with it, and it would
        // be a value of that kernel only: SiblingFusionTests.)
        var e = b.Unary(UnaryKind.Exp, b.Input("x", Matrix));
        b.Output("a", b.Unary(UnaryKind.Neg, e));
        b.Output("b", b.Reduce(ReduceKind.Sum, b.Unary(UnaryKind.Tanh, e), 1));
        Assert.Equal(["exp", "neg", "reduce_sum"], Stored(b.Build()));
    }

    [Fact]
    public void AValueReadTwiceByOneKernelAtTheSameIndexIsInlined()
    {
        // e·e, and e read again further up the same kernel's expression: one kernel.
        var b = new GraphBuilder("g");
        var e = b.Unary(UnaryKind.Exp, b.Input("x", Matrix));
        b.Output("y", b.Binary(BinaryKind.Add, b.Binary(BinaryKind.Mul, e, e), e));
        Assert.Equal(["add"], Stored(b.Build()));
    }

    [Fact]
    public void AValueReadThroughAViewAndDirectlyIsStored()
    {
        // The permute reads e at other indices than the add's own: two computations of e.
        var b = new GraphBuilder("g");
        var e = b.Unary(UnaryKind.Exp, b.Input("x", TensorType.F32(Shape.Of(8, 8))));
        b.Output("y", b.Binary(BinaryKind.Add, e, b.Permute(e, 1, 0)));
        Assert.Equal(["exp", "add"], Stored(b.Build()));
    }

    [Fact]
    public void ArithmeticOnConstantsAndSizesIsRecomputedWhereverItIsRead()
    {
        // n = 2·B reads no memory: cheaper to recompute in both kernels than to store.
        var b = new GraphBuilder("g");
        var x = b.Input("x", TensorType.F32(Shape.Of([Dim.Symbolic("B"), 8])));
        var n = b.Binary(BinaryKind.Mul, b.Constant(2, TensorType.ScalarF32), b.Add(new DimSizeOp("B")));
        b.Output("a", b.Binary(BinaryKind.Div, x, b.BroadcastTo(n, x.Type.Shape)));
        b.Output("b", b.Binary(BinaryKind.Mul, x, b.BroadcastTo(n, x.Type.Shape)));
        Assert.Equal(["div", "mul"], Stored(b.Build()));
    }

    [Fact]
    public void AValueCopiedTooOftenIntoOneKernelIsStored()
    {
        // Each level reads the one below twice: inlining all of them would copy x^(2^k).
        var b = new GraphBuilder("g");
        var v = b.Unary(UnaryKind.Exp, b.Input("x", Matrix));
        for (var level = 0; level < 6; level++)
        {
            v = b.Binary(BinaryKind.Mul, v, v);
        }
        b.Output("y", v);
        // The result's kernel inlines levels 5, 4 and 3 (8 copies of level 3); level 2 would be
        // 16 copies, so it is computed once, inlining level 1 and the exp. Only the result reads
        // it, so it shares the result's kernel as a value that is not stored.
        var graph = b.Build();
        Assert.Equal(["mul", "mul"], Assert.Single(FusionPlanner.Plan(graph).Siblings).Select(n => n.Op.Mnemonic));
        Assert.Equal(["mul"], Stored(graph));
        Assert.Equal(8, FusionPlanner.MaxCopies);
    }

    [Fact]
    public void AnEpilogueTakesElementwiseOpsThatReadTheContractionTwice()
    {
        var b = new GraphBuilder("g");
        var c = Product(b);
        b.Output("y", b.Unary(UnaryKind.Tanh, b.Binary(BinaryKind.Mul, c, c)));
        var graph = b.Build();

        var plan = FusionPlanner.Plan(graph);

        Assert.Same(graph.Outputs[0].Value, plan.EpilogueRoots[graph.Nodes[2]]);
        Assert.Equal(["tanh"], Stored(graph));
    }

    [Fact]
    public void AnEpilogueTakesOpsWhoseSeveralReadersOfTheContractionMeetAgain()
    {
        // Leaky ReLU of a product: the compare, the scaling and the select all read it, and the
        // select joins them: the GEMM stores the activated value, and nothing else is stored.
        var b = new GraphBuilder("g");
        var c = Product(b);
        b.Output("y", b.Select(b.Compare(CompareKind.Gt, c, b.Filled(0, c)), c, b.Binary(BinaryKind.Mul, c, 0.01)));
        var graph = b.Build();

        var plan = FusionPlanner.Plan(graph);

        Assert.Same(graph.Outputs[0].Value, plan.EpilogueRoots[c]);
        Assert.Equal(["select"], Stored(graph));
    }

    [Fact]
    public void AnEpilogueStopsAtReadersThatDoNotMeetAgain()
    {
        // Two results read the product: each is its own kernel reading the stored product.
        var b = new GraphBuilder("g");
        var c = Product(b);
        b.Output("y", b.Unary(UnaryKind.Tanh, c));
        b.Output("z", b.Unary(UnaryKind.Exp, c));
        var graph = b.Build();

        Assert.Empty(FusionPlanner.Plan(graph).EpilogueRoots);
        Assert.Equal(["contract", "tanh", "exp"], Stored(graph));
    }

    [Fact]
    public void AnEpilogueStopsWhereAReaderOnTheWayIsAlsoReadElsewhere()
    {
        // The compare is a second result: stored by its own kernel, so the select cannot take
        // the product as its epilogue (the compare would be computed twice).
        var b = new GraphBuilder("g");
        var c = Product(b);
        var positive = b.Compare(CompareKind.Gt, c, b.Filled(0, c));
        b.Output("y", b.Select(positive, c, b.Binary(BinaryKind.Mul, c, 0.01)));
        b.Output("p", positive);
        var graph = b.Build();

        Assert.DoesNotContain(FusionPlanner.Plan(graph).EpilogueRoots.Values, root => root.Op is SelectOp);
    }

    [Fact]
    public void AGeluOfAProductJoinsItsEpilogue()
    {
        // c · (1 + erf(c)): the epilogue reads nothing but the accumulator, so its row loop
        // vectorises, erf included, on every target.
        var b = new GraphBuilder("g");
        var c = Product(b);
        b.Output("y", Gelu(b, c));
        var graph = b.Build();

        Assert.Equal(["mul"], Stored(graph));
        Assert.Equal(["mul"], Stored(graph, Vectorising));
    }

    [Fact]
    public void AnErfAfterAReadThatDividesTheColumnIndexStaysApartOnTheCpu()
    {
        // erf(c + z as [4, 8]): the reshape reads z[i, j / 2, j mod 2], which keeps the CPU's
        // epilogue loop scalar; the add runs in a map kernel of its own, not a sibling of the
        // erf's (whose loop the read would keep scalar), and the erf reads its result. A target
        // that vectorises such reads (or runs a thread per element) takes both.
        var b = new GraphBuilder("g");
        var sum = b.Binary(BinaryKind.Add, Product(b), ColumnsShifted(b));
        b.Output("y", b.Unary(UnaryKind.Erf, sum));
        var graph = b.Build();

        Assert.Equal(["contract", "add", "erf"], Stored(graph));
        Assert.Equal(["erf"], Stored(graph, Vectorising));
    }

    [Fact]
    public void AGeluDiamondAfterAReadThatDividesTheColumnIndexStaysApartOnTheCpu()
    {
        // MgNO's layer: GELU of a convolution plus a col2im read. GELU reads the add twice: the
        // add is still not recomputed in the GELU's kernel, which the read would keep scalar.
        var b = new GraphBuilder("g");
        b.Output("y", Gelu(b, b.Binary(BinaryKind.Add, Product(b), ColumnsShifted(b))));
        var graph = b.Build();

        Assert.Equal(["contract", "add", "mul"], Stored(graph));
        Assert.Equal(["mul"], Stored(graph, Vectorising));
    }

    [Fact]
    public void AReadThatDividesOnlyTheRowIndexKeepsFunctionsInTheEpilogue()
    {
        // z [3, 2, 8] as [6, 8] from row 1 reads z[(i + 1) / 2, (i + 1) mod 2, j]: the same
        // division for a whole row, so the column loop still vectorises.
        var b = new GraphBuilder("g");
        var rows = b.Slice(b.Reshape(b.Input("z", TensorType.F32(Shape.Of(3, 2, 8))), Shape.Of(6, 8)), 0, 1, 5);
        b.Output("y", b.Unary(UnaryKind.Erf, b.Binary(BinaryKind.Add, Product(b), rows)));
        Assert.Equal(["erf"], Stored(b.Build()));
    }

    [Fact]
    public void AReadThatASplitOfTheColumnLoopMakesAffineKeepsFunctionsInTheEpilogue()
    {
        // z [4, 4, 2] as [4, 8] reads z[i, j / 2, j mod 2]; the GEMM splits j into j₁·2 + j₂
        // (GemmLoopSplitting), which reads z[i, j₁, j₂]: affine, so the erf stays.
        var b = new GraphBuilder("g");
        var pairs = b.Reshape(b.Input("z", TensorType.F32(Shape.Of(4, 4, 2))), Matrix.Shape);
        b.Output("y", b.Unary(UnaryKind.Erf, b.Binary(BinaryKind.Add, Product(b), pairs)));
        Assert.Equal(["erf"], Stored(b.Build()));
    }

    [Fact]
    public void ANonAffineReadWithoutTranscendentalFunctionsLeavesTheEpilogueToo()
    {
        // Even an add alone is slower in the GEMM's scalar epilogue loop than in a map kernel of
        // its own (MgNO c32 64² b8: a phase-interleaved add cost its 1×1 convolution ~2.3 ms,
        // its own kernel ~0.5 ms): the contraction, the add and the rest are three kernels.
        var b = new GraphBuilder("g");
        var sum = b.Binary(BinaryKind.Add, Product(b), ColumnsShifted(b));
        b.Output("y", b.Binary(BinaryKind.Max, b.Binary(BinaryKind.Pow, sum, 2), b.Filled(0, sum)));
        var graph = b.Build();

        Assert.Equal(["contract", "add", "max"], Stored(graph));
        Assert.Equal(["max"], Stored(graph, Vectorising));
    }

    [Fact]
    public void APowerAfterANonAffineReadStaysApartOnTheCpu()
    {
        // x³ calls libm's powf: like the erf, it reads the add from the add's own kernel.
        var b = new GraphBuilder("g");
        b.Output("y", b.Binary(BinaryKind.Pow, b.Binary(BinaryKind.Add, Product(b), ColumnsShifted(b)), 3));
        var graph = b.Build();

        Assert.Equal(["contract", "add", "pow"], Stored(graph));
        Assert.Equal(["pow"], Stored(graph, Vectorising));
    }

    [Fact]
    public void AGatherIsAViewOfItsTable()
    {
        // Read by two kernels, the gather is recomputed in each (one more load) rather than stored.
        var b = new GraphBuilder("g");
        var table = b.Unary(UnaryKind.Exp, b.Parameter("t", Matrix, new ConstantInit(1)));
        var rows = b.Add(new GatherOp(0), table, b.Input("i", new TensorType(ElementType.I32, Shape.Of(3))));
        b.Output("a", b.Unary(UnaryKind.Neg, rows));
        b.Output("b", b.Unary(UnaryKind.Tanh, rows));
        Assert.Equal(["exp", "neg", "tanh"], Stored(b.Build()));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.0)]
    public void ANonzeroPadReadThroughAnUnfoldIsStored(double value)
    {
        // A convolution: the GEMM operand reads the pad nine times per element; stored once, it
        // is a plain load instead of a bounds test and a select per read. (−0 is not +0, the
        // value the GEMM's masked gathers give outside the input.)
        var (b, x) = PaddedInput();
        Output(b, b.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], value), x));
        Assert.Equal(["pad", "contract"], Stored(b.Build()));
    }

    [Fact]
    public void AZeroPadReadThroughAnUnfoldIsReadInPlace()
    {
        // The GEMM gathers the unpadded input, masking the lanes outside it: no pad kernel.
        var (b, x) = PaddedInput();
        Output(b, b.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], 0), x));
        Assert.Equal(["contract"], Stored(b.Build()));
    }

    [Fact]
    public void AZeroPadIsStoredForATargetThatCannotReadItInPlace()
    {
        // Without masked GEMM reads, each of the unfold's nine reads per element would test the bounds.
        var (b, x) = PaddedInput();
        Output(b, b.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], 0), x));
        Assert.Equal(["pad", "contract"], Stored(b.Build(), CpuTarget.Host.Capabilities with { ReadsZeroPadsInPlace = false }));
    }

    [Fact]
    public void AZeroPadAlsoReadElsewhereIsStored()
    {
        // Read by the convolution and by an elementwise kernel: stored once for both.
        var (b, x) = PaddedInput();
        var padded = b.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], 0), x);
        Output(b, padded);
        b.Output("z", b.Unary(UnaryKind.Neg, padded));
        Assert.Equal(["pad", "contract", "neg"], Stored(b.Build()));
    }

    private static (GraphBuilder Builder, Node Input) PaddedInput()
    {
        var b = new GraphBuilder("g");
        return (b, b.Input("x", TensorType.F32(Shape.Of(1, 2, 6, 6))));
    }

    // A 3×3 convolution of the padded input, 4 output channels.
    private static void Output(GraphBuilder b, Node padded)
    {
        var cols = b.Add(new UnfoldOp(Window2d.Square(3, 1, 1)), padded);
        var weight = b.Parameter("w", TensorType.F32(Shape.Of(4, 2, 3, 3)), new ConstantInit(1));
        b.Output("y", b.Contract(cols, weight, [0, 1, 2, 3, 4, 5], [6, 1, 2, 3], [0, 6, 4, 5]));
    }

    [Fact]
    public void ASelectingViewReadOnceIsInlined()
    {
        // Each element of the pad and of the concatenation is read once: no reason to store them.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var padded = b.Add(new PadOp([new AxisPadding(1, 1, 1)], 0), x);
        var joined = b.Add(new ConcatOp(1), padded, padded);
        b.Output("y", b.Unary(UnaryKind.Neg, joined));
        Assert.Equal(["neg"], Stored(b.Build()));
    }

    [Fact]
    public void AConcatenationReadAsAGemmOperandIsStored()
    {
        // The heads of an attention joined along the features, then projected.
        var b = new GraphBuilder("g");
        var heads = b.Add(new ConcatOp(1), b.Input("a", Matrix), b.Input("b", Matrix));
        var weight = b.Parameter("w", TensorType.F32(Shape.Of(16, 8)), new ConstantInit(1));
        b.Output("y", b.Contract(heads, weight, [0, 1], [1, 2], [0, 2]));
        Assert.Equal(["concat", "contract"], Stored(b.Build()));
    }

    [Fact]
    public void ASoftmaxsRowReductionsAreComputedInTheKernelsThatReadThem()
    {
        // The maximum moves into the exp's kernel, the sum into the division's; the exp, read by
        // the division and by the sum, stays stored.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var max = b.Reduce(ReduceKind.Max, x, 1);
        var e = b.Unary(UnaryKind.Exp, b.Binary(BinaryKind.Sub, x, RowRepeated(b, max)));
        b.Output("y", b.Binary(BinaryKind.Div, e, RowRepeated(b, b.Reduce(ReduceKind.Sum, e, 1))));
        Assert.Equal(["exp", "div"], Stored(b.Build()));
    }

    [Fact]
    public void ACheapMapReadPerElementAndInARowSumOfOneKernelIsRecomputedThere()
    {
        // A layer norm's backward: q = g / s is read by the row sum of q·x and again per element
        // of the one kernel that holds that sum: both read it in that kernel, which recomputes it.
        var b = new GraphBuilder("g");
        var (g, x, s) = (b.Input("g", Matrix), b.Input("x", Matrix), b.Input("s", TensorType.F32(Shape.Of(4))));
        var q = b.Binary(BinaryKind.Div, g, RowRepeated(b, s));
        var sum = b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, q, x), 1);
        b.Output("y", b.Binary(BinaryKind.Sub, q, b.Binary(BinaryKind.Mul, x, RowRepeated(b, sum))));
        Assert.Equal(["sub"], Stored(b.Build()));
    }

    [Fact]
    public void AnExpReadPerElementAndInARowSumOfOneKernelStaysStored()
    {
        // The layer norm backward's shape with q = exp(g): recomputing it would evaluate the exp
        // twice per element to save one load.
        var b = new GraphBuilder("g");
        var (g, x) = (b.Input("g", Matrix), b.Input("x", Matrix));
        var q = b.Unary(UnaryKind.Exp, g);
        var sum = b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, q, x), 1);
        b.Output("y", b.Binary(BinaryKind.Sub, q, b.Binary(BinaryKind.Mul, x, RowRepeated(b, sum))));
        Assert.Equal(["exp", "sub"], Stored(b.Build()));
    }

    [Theory]
    [InlineData(8, new[] { "add" })]
    [InlineData(9, new[] { "mul", "add" })]
    public void ACheapMapIsRecomputedInItsRowKernelUpToTheCopyLimit(int reads, string[] stored)
    {
        // q = 2g read once in the row sum and reads − 1 times per element: recomputed while the
        // kernel holds at most FusionPlanner.MaxCopies (8) copies of it.
        var b = new GraphBuilder("g");
        var (g, x) = (b.Input("g", Matrix), b.Input("x", Matrix));
        var q = b.Binary(BinaryKind.Mul, g, 2.0);
        var sum = b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, q, x), 1);
        var y = b.Binary(BinaryKind.Sub, q, b.Binary(BinaryKind.Mul, x, RowRepeated(b, sum)));
        for (var i = 2; i < reads; i++)
        {
            y = b.Binary(BinaryKind.Add, y, q);
        }
        b.Output("y", y);
        Assert.Equal(stored, Stored(b.Build()));
    }

    [Fact]
    public void AMapReadInARowSumOfOneKernelAndByAnotherKernelIsStored()
    {
        var b = new GraphBuilder("g");
        var (g, x) = (b.Input("g", Matrix), b.Input("x", Matrix));
        var q = b.Binary(BinaryKind.Mul, g, 2.0);
        var sum = b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, q, x), 1);
        b.Output("y", b.Binary(BinaryKind.Sub, q, b.Binary(BinaryKind.Mul, x, RowRepeated(b, sum))));
        b.Output("z", b.Reduce(ReduceKind.Sum, q, 0));
        Assert.Equal(["mul", "sub", "reduce_sum"], Stored(b.Build()));
    }

    [Fact]
    public void ATargetThatComputesPerElementKeepsRowReductionsStored()
    {
        // A GPU thread per element would repeat the whole sum for every element of its row.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        b.Output("y", b.Binary(BinaryKind.Div, x, RowRepeated(b, b.Reduce(ReduceKind.Sum, x, 1))));
        Assert.Equal(["reduce_sum", "div"], Stored(b.Build(), CpuTarget.Host.Capabilities with { HoistsRowInvariants = false }));
    }

    [Fact]
    public void ElementwiseOpsOnARowReductionMoveWithIt()
    {
        // A layer norm's scale: 1/sqrt(mean(x²) + ε) per row, then x times it — one kernel.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var mean = b.Mean(b.Binary(BinaryKind.Mul, x, x), 1);
        var scale = b.Unary(UnaryKind.Reciprocal, b.Unary(UnaryKind.Sqrt, b.Binary(BinaryKind.Add, mean, 1e-5)));
        b.Output("y", b.Binary(BinaryKind.Mul, x, RowRepeated(b, scale)));
        Assert.Equal(["mul"], Stored(b.Build()));
    }

    [Fact]
    public void ARowReductionReadByTwoKernelsIsStored()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var sum = b.Reduce(ReduceKind.Sum, x, 1);
        b.Output("a", b.Binary(BinaryKind.Div, x, RowRepeated(b, sum)));
        b.Output("b", b.Binary(BinaryKind.Mul, x, RowRepeated(b, sum)));
        Assert.Equal(["reduce_sum", "div", "mul"], Stored(b.Build()));
    }

    [Fact]
    public void AReductionRepeatedAlongALeadingAxisIsStored()
    {
        // Each element of the last axis has its own sum: computed in the consumer, every row
        // would repeat all of them.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var columns = b.Reduce(ReduceKind.Sum, x, 0);
        b.Output("y", b.Binary(BinaryKind.Sub, x, b.Add(new BroadcastOp(Matrix.Shape, [1]), columns)));
        Assert.Equal(["reduce_sum", "sub"], Stored(b.Build()));
    }

    [Fact]
    public void ARowReductionReadByAnotherReductionIsStored()
    {
        // The variance's sum reads the mean inside its own loop: inlined there, the mean would be
        // recomputed for every term.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var centered = b.Binary(BinaryKind.Sub, x, RowRepeated(b, b.Mean(x, 1)));
        b.Output("y", b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, centered, centered), 1));
        Assert.Equal(["reduce_sum", "div", "reduce_sum"], Stored(b.Build()));
    }

    [Fact]
    public void AReductionRepeatedOverSeveralRowsIsStored()
    {
        // A batch norm's per-channel sum over [2, 4, 8]: each channel is read by two rows of
        // the consumer, which would each repeat its sum.
        var b = new GraphBuilder("g");
        var shape = Shape.Of(2, 4, 8);
        var x = b.Input("x", TensorType.F32(shape));
        var channels = b.Reduce(ReduceKind.Sum, x, 0, 2);
        b.Output("y", b.Binary(BinaryKind.Sub, x, b.Add(new BroadcastOp(shape, [1]), channels)));
        Assert.Equal(["reduce_sum", "sub"], Stored(b.Build()));
    }

    [Fact]
    public void ARowValueComputedWithoutAReductionIsStored()
    {
        // Elementwise on a parameter (a batch norm's running variance): nothing to compute once per row.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Matrix);
        var root = b.Unary(UnaryKind.Sqrt, b.Parameter("v", TensorType.F32(Shape.Of(4)), new ConstantInit(1)));
        b.Output("y", b.Binary(BinaryKind.Div, x, RowRepeated(b, root)));
        Assert.Equal(["sqrt", "div"], Stored(b.Build()));
    }

    [Fact]
    public void ScalarReductionsAreComputedInTheScalarKernelThatReadsThem()
    {
        // A train step's finite check: every gradient's sum of x·0, added and compared with 0 in
        // one scalar kernel (it runs once, so nothing is recomputed), which two updates read.
        var b = new GraphBuilder("g");
        var (x, v) = (b.Input("x", Matrix), b.Input("v", TensorType.F32(Shape.Of(8))));
        var total = b.Binary(BinaryKind.Add, b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, x, 0.0), 0, 1), b.Reduce(ReduceKind.Sum, b.Binary(BinaryKind.Mul, v, 0.0), 0));
        var finite = b.Compare(CompareKind.Eq, total, b.Constant(0, TensorType.ScalarF32));
        b.Output("a", b.Select(b.BroadcastTo(finite, Matrix.Shape), x, x));
        b.Output("b", b.Select(b.BroadcastTo(finite, v.Type.Shape), v, v));
        Assert.Equal(["cmpeq", "select", "select"], Stored(b.Build()));
    }

    [Fact]
    public void AScalarReductionReadByTwoScalarKernelsIsStored()
    {
        var b = new GraphBuilder("g");
        var sum = b.Reduce(ReduceKind.Sum, b.Input("x", Matrix), 0, 1);
        b.Output("a", b.Unary(UnaryKind.Neg, sum));
        b.Output("b", b.Unary(UnaryKind.Exp, sum));
        Assert.Equal(["reduce_sum", "neg", "exp"], Stored(b.Build()));
    }

    // x · w for an input x [4, 8] and a parameter w [8, 8].
    private static Node Product(GraphBuilder b) => FusionPlanTesting.Product(b, Matrix);

    // A target whose epilogues vectorise non-affine reads (the GPU's capability).
    private static TargetCapabilities Vectorising => CpuTarget.Host.Capabilities with { VectorisesNonAffineReads = true };

    // An input z [4, 5, 2] read as [4, 10] from column 1, as a col2im fold's phases are:
    // z[i, (j + 1) / 2, (j + 1) mod 2], which no split of the column loop makes affine.
    private static Node ColumnsShifted(GraphBuilder b) =>
        b.Slice(b.Reshape(b.Input("z", TensorType.F32(Shape.Of(4, 5, 2))), Shape.Of(4, 10)), 1, 1, 9);

    // x · ½(1 + erf(x / √2)), which reads x twice.
    private static Node Gelu(GraphBuilder b, Node x) =>
        b.Binary(BinaryKind.Mul, b.Binary(BinaryKind.Mul, x, 0.5), b.Binary(BinaryKind.Add, b.Unary(UnaryKind.Erf, b.Binary(BinaryKind.Mul, x, 0.7071067811865476)), 1));

    // A [4] row value repeated along the columns of a [4, 8] matrix.
    private static Node RowRepeated(GraphBuilder b, Node rows) => b.Add(new BroadcastOp(Matrix.Shape, [0]), rows);

    // The computed nodes the plan stores, in graph order (for the host CPU when capabilities is null).
    private static List<string> Stored(Graph graph, TargetCapabilities? capabilities = null) =>
        FusionPlanTesting.Stored(graph, FusionPlanner.Plan(graph, capabilities));
}
