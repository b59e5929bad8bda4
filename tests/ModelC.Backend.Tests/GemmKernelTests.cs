using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// The GEMM kernels' paths, each compiled for the host (AVX-512 here: 16-lane tiles), for an
/// AVX2 CPU (8-lane tiles, a shared library built for <c>haswell</c> and loaded here) and for the
/// x86-64 baseline of portable builds (4-lane SSE tiles), checked
/// against the interpreter and bit-identical for 1 and 2 threads: rows fewer than a tile (1, 2)
/// and not a multiple of any tile (13, 29), columns whose last tile is partial after whole ones
/// at every width (133: a tile that wrote whole vectors there would overwrite the next row's first
/// columns, already written), K = 1 and K over several depth blocks, more rows
/// and columns than one block, a symbolic batch, batched products, transposed operands (the
/// transposing packs), operands that are affine views (the gathering packs: reversed, a
/// convolution's unfold, at strides 1 and 2 partly read by vector loads (at stride 2 rows of half a vector too; channel planes of 4 KiB filled in order of k), and its weight gradient;
/// a convolution's weights packed once for all images; a channels-last convolution, whose
/// transposed weights end in a panel with lane groups of no column; weight gradients whose depth is cut into
/// chunks summed afterwards, with a fixed or symbolic batch and with an epilogue) or
/// span several loops, operands read through index tensors (the element-by-element packs), a
/// fused epilogue, and products of few rows with B contiguous along k (the dot products, chosen
/// at run time when the batch is symbolic; a depth of whole two-vector steps at every width, 96,
/// skips the masked last step; a long depth, over several chunks of columns) or of few columns
/// and many rows (dot products too).
/// </summary>
public sealed class GemmKernelTests
{
    private static readonly Dictionary<string, Func<SweepCase>> Cases = new()
    {
        ["rows_1"] = () => MatMul(1, 37, 45),
        ["rows_2"] = () => MatMul(2, 19, 70),
        ["rows_13"] = () => MatMul(13, 29, 35),
        ["partial_last_column_panel"] = () => MatMul(13, 29, 133),
        ["depth_1"] = () => MatMul(29, 1, 33),
        ["depth_over_several_blocks"] = () => MatMul(17, 1300, 20),
        ["rows_over_several_blocks"] = () => MatMul(150, 50, 70),
        ["columns_over_several_blocks"] = () => MatMul(30, 30, 1100),
        ["symbolic_rows_13"] = () => SymbolicRows(13),
        ["symbolic_rows_31"] = () => SymbolicRows(31),
        ["one_row_b_transposed"] = () => Contract("one_row_b_transposed", [1, 29], [35, 29], [0, 1], [2, 1], [0, 2]),
        ["one_row_b_transposed_long"] = () => Contract("one_row_b_transposed_long", [1, 1300], [300, 1300], [0, 1], [2, 1], [0, 2]),
        ["one_row_batched"] = () => Contract("one_row_batched", [3, 1, 45], [3, 37, 45], [0, 1, 2], [0, 3, 2], [0, 1, 3]),
        ["symbolic_one_row_epilogue"] = () => SymbolicLinear(1),
        ["symbolic_rows_13_epilogue"] = () => SymbolicLinear(13),
        ["few_rows_b_transposed"] = () => Contract("few_rows_b_transposed", [7, 130], [35, 130], [0, 1], [2, 1], [0, 2]),
        ["few_rows_whole_steps"] = () => Contract("few_rows_whole_steps", [7, 96], [35, 96], [0, 1], [2, 1], [0, 2]),
        // A depth of 1300 cuts the columns into chunks of 48 that B keeps in L2: 61 columns are a
        // whole chunk and one of 13, which no group width divides; 7 rows are a group and 3 alone.
        ["few_rows_several_column_chunks"] = () => Contract("few_rows_several_column_chunks", [7, 1300], [61, 1300], [0, 1], [2, 1], [0, 2]),
        ["few_rows_batched"] = () => Contract("few_rows_batched", [3, 5, 45], [3, 37, 45], [0, 1, 2], [0, 3, 2], [0, 1, 3]),
        ["symbolic_few_rows_epilogue"] = () => SymbolicLinear(GemmDotProducts.MaxRows),
        ["symbolic_rows_above_few_epilogue"] = () => SymbolicLinear(GemmDotProducts.MaxRows + 1),
        ["few_columns_batched"] = () => Contract("few_columns_batched", [3, 100, 40], [3, 40, 1], [0, 1, 2], [0, 2, 3], [0, 1, 3]),
        ["few_columns_b_transposed"] = () => Contract("few_columns_b_transposed", [37, 130], [GemmDotProducts.MaxColumns, 130], [0, 1], [2, 1], [0, 2]),
        ["symbolic_few_columns_epilogue"] = () => SymbolicLinear(29, GemmDotProducts.MaxColumns),
        ["batched"] = () => Contract("batched", [3, 13, 29], [3, 29, 35], [0, 1, 2], [0, 2, 3], [0, 1, 3]),
        ["a_transposed"] = () => Contract("a_transposed", [29, 13], [29, 35], [1, 0], [1, 2], [0, 2]),
        ["b_transposed"] = () => Contract("b_transposed", [13, 29], [35, 29], [0, 1], [2, 1], [0, 2]),
        ["both_transposed"] = () => Contract("both_transposed", [40, 21], [37, 40], [1, 0], [2, 1], [0, 2]),
        ["columns_over_two_loops"] = () => Contract("columns_over_two_loops", [13, 29], [29, 5, 7], [0, 1], [1, 2, 3], [0, 2, 3]),
        ["rows_and_depth_over_two_loops"] = () => Contract("rows_and_depth_over_two_loops", [4, 3, 6, 5], [6, 5, 19], [0, 1, 2, 3], [2, 3, 4], [0, 1, 4]),
        ["heads_merged_into_depth"] = HeadsMergedIntoDepth,
        ["heads_split_from_depth"] = HeadsSplitFromDepth,
        ["operand_views"] = OperandViews,
        ["operand_expressions"] = OperandExpressions,
        ["convolution"] = () => Convolution(weightGradient: false),
        ["convolution_stride_1"] = () => WideConvolution(1, [2, 3, 20, 21], 5),
        ["convolution_stride_2"] = () => WideConvolution(2, [2, 2, 7, 65], 6),
        ["convolution_weight_gradient"] = () => Convolution(weightGradient: true),
        ["padded_convolution_stride_1_pad_1"] = () => PaddedConvolution(1, 1, [2, 3, 20, 21], 5),
        ["padded_convolution_stride_1_pad_1_rows_of_8"] = () => PaddedConvolution(1, 1, [2, 3, 8, 8], 4),
        ["padded_convolution_stride_1_pad_2"] = () => PaddedConvolution(1, 2, [2, 3, 9, 11], 4),
        ["padded_convolution_stride_2_pad_1"] = () => PaddedConvolution(2, 1, [2, 2, 7, 65], 6),
        ["padded_convolution_stride_2_pad_2"] = () => PaddedConvolution(2, 2, [2, 3, 11, 9], 4),
        // Stride-2 outputs in rows of half a vector: 7 × 8 on the host's 16 lanes, 5 × 4 on
        // haswell's 8, so a vector spans two rows, each half read by its own load (the last
        // panel partial, the right column's window past the input's edge).
        ["padded_convolution_stride_2_pad_1_rows_of_8"] = () => PaddedConvolution(2, 1, [2, 3, 13, 15], 4),
        ["padded_convolution_stride_2_pad_1_rows_of_4"] = () => PaddedConvolution(2, 1, [2, 3, 9, 7], 4),
        // 61 channels: a depth of 549 in two blocks of 275 and 274, so the second block starts
        // mid-way through a channel's 9 taps (the bounds' lane masks repeat every 9 steps of k).
        ["padded_convolution_stride_1_two_depth_blocks"] = () => PaddedConvolution(1, 1, [2, 61, 8, 9], 4),
        ["padded_convolution_stride_2_two_depth_blocks"] = () => PaddedConvolution(2, 1, [2, 61, 7, 17], 4),
        // Channel planes of 4 KiB (32 × 32 and 64 × 16 floats), whose steps of k are filled in
        // order, the residues unrolled, in two depth blocks that each end mid-way through a channel.
        ["padded_convolution_stride_1_planes_of_4_kib"] = () => PaddedConvolution(1, 1, [2, 61, 32, 32], 4),
        ["padded_convolution_stride_2_planes_of_4_kib_rows_of_8"] = () => PaddedConvolution(2, 1, [2, 61, 64, 16], 4),
        // 100 output channels over 3 images: A (the weights, the same for every image) is packed
        // once per thread in several row blocks and two depth blocks; the second thread starts
        // mid-way through an image's row blocks, so it packs the rest in its next image.
        ["convolution_weights_packed_once"] = () => PaddedConvolution(1, 1, [3, 61, 8, 9], 100),
        // ResNet-18's small-plane convolutions (einspace's, channels last): 3 images of 2 × 2
        // positions are the rows, the weights B transposed, and 65 channels end in a panel with
        // whole lane groups past the last column, zero-filled without reading (depth 45: two whole
        // blocks of k, then a partial one).
        ["channels_last_convolution"] = ChannelsLastConvolution,
        // Weight gradients whose depth (batch × output rows × columns) is cut into chunks: 36
        // rows in 4 chunks of 9, not the batch of 2 in 2 (each chunk's depth, 540, over two depth
        // blocks of at most 512); 27 rows in 3 (no loop divides into 4); 35 rows, which 4 does
        // not divide, so the 24 columns are cut instead; a symbolic
        // batch; and a fused epilogue (the gradient added to another), applied to the chunks' sum.
        ["weight_gradient_depth_in_chunks"] = () => PaddedWeightGradient([2, 5, 36, 30], 6),
        ["weight_gradient_depth_in_three_chunks"] = () => PaddedWeightGradient([2, 3, 27, 21], 4),
        ["weight_gradient_columns_in_chunks"] = () => PaddedWeightGradient([2, 3, 35, 24], 4),
        ["weight_gradient_symbolic_batch_in_chunks"] = () => PaddedWeightGradient([2, 3, 32, 32], 4, symbolicBatch: true),
        ["weight_gradient_in_chunks_epilogue"] = () => PaddedWeightGradient([2, 3, 32, 32], 4, epilogue: true),
        ["few_rows_flattened_depth"] = FewRowsFlattenedDepth,
        ["epilogue"] = Epilogue,
        ["leaky_relu_epilogue"] = LeakyReluEpilogue,
    };

    /// <summary>Every case on every target.</summary>
    public static TheoryData<string, string> CasesAndTargets()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name, "host");
            data.Add(name, "haswell");
            data.Add(name, "x86-64");
        }
        return data;
    }

    /// <summary>The case compiled for the target matches the interpreter, with the same bits on 1 and 2 threads.</summary>
    [Theory]
    [MemberData(nameof(CasesAndTargets))]
    public void GemmMatchesInterpreter(string name, string target)
    {
        var sweep = Cases[name]();
        var run = CompiledRun.Execute(sweep.Graph, sweep.Inputs, target == "host" ? null : new CpuTarget(Cpu: target), 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }

    /// <summary>
    /// The copying packs read a whole panel's row with plain loads, but the last, partial panel's
    /// only with masked loads, which touch nothing past the operand. Each buffer here ends where an
    /// inaccessible page begins (<see cref="GuardPagedCpu"/>), so a plain load past either operand
    /// faults: A stored transposed, [16, 13] (its last panel one row), and B [16, 35] (its last
    /// panel 3 columns), both a multiple of 64 bytes so that they end exactly at the guard page.
    /// </summary>
    [Theory]
    [InlineData("host")]
    [InlineData("haswell")]
    [InlineData("x86-64")]
    public void PartialPanelsReadNothingPastTheOperands(string target)
    {
        var sweep = Contract("partial_panels_at_buffer_ends", [16, 13], [16, 35], [1, 0], [1, 2], [0, 2]);
        var gemm = Assert.Single(ProgramBuilder.Build(sweep.Graph).Kernels.OfType<GemmKernel>());
        Assert.NotNull(GemmOperandAccess.ContiguousLoad(gemm.A, gemm.Rows, []));
        Assert.NotNull(GemmOperandAccess.ContiguousLoad(gemm.B, gemm.Columns, []));
        CompiledRun.Execute(sweep.Graph, sweep.Graph, sweep.Inputs, target == "host" ? CpuTarget.Host : new CpuTarget(Cpu: target), new GuardPagedCpu()).AssertClose();
    }

    /// <summary>
    /// A product of few rows sums each output in the order a single row does (the dot products),
    /// so a row of a small batch has the same bits as that row run alone; so does a product of
    /// few columns at any batch (a tile would sum each lane in its own order).
    /// </summary>
    [Theory]
    [InlineData("host", 6, 150)]
    [InlineData("haswell", 6, 150)]
    [InlineData("host", 40, GemmDotProducts.MaxColumns)]
    [InlineData("haswell", 40, GemmDotProducts.MaxColumns)]
    public void FewRowsSumAsOneRowDoes(string target, int rows, int columns)
    {
        var cpu = target == "host" ? null : new CpuTarget(Cpu: target);
        var batch = SymbolicLinear(rows, columns);
        var whole = Assert.Single(CompiledRun.Execute(batch.Graph, batch.Inputs, cpu, 1).Compiled).Value;
        var x = batch.Inputs["x0"];
        foreach (var row in new[] { 0, rows - 1 })
        {
            var inputs = batch.Inputs.ToDictionary(p => p.Key, p => p.Value);
            inputs["x0"] = HostTensor.FromFunction([1, x.Shape[1]], i => x.At(row, i[1]));
            var alone = Assert.Single(CompiledRun.Execute(batch.Graph, inputs, cpu, 1).Compiled).Value;
            for (var c = 0; c < alone.Shape[1]; c++)
            {
                Assert.Equal(whole.At(row, c), alone.At(0, c));
            }
        }
    }

    /// <summary>The epilogue cases really are one GEMM with its epilogue fused (else they would not test the epilogue path).</summary>
    [Theory]
    [InlineData("epilogue")]
    [InlineData("leaky_relu_epilogue")]
    public void EpilogueIsFusedIntoTheGemm(string name)
    {
        var program = ProgramBuilder.Build(Cases[name]().Graph);
        var gemm = Assert.Single(program.Kernels.OfType<GemmKernel>());
        Assert.IsNotType<Accumulator>(gemm.Epilogue);
    }

    /// <summary>
    /// The view cases' operands are loads affine in their loops but contiguous along neither the
    /// panel nor the depth (reversed, an unfold, several loops): the gathering packs, not the
    /// vector copies.
    /// </summary>
    [Theory]
    [InlineData("operand_views")]
    [InlineData("convolution")]
    [InlineData("convolution_stride_1")]
    [InlineData("convolution_stride_2")]
    [InlineData("convolution_weight_gradient")]
    public void AffineOperandViewsAreGathered(string name)
    {
        var gemm = Assert.Single(ProgramBuilder.Build(Cases[name]().Graph).Kernels.OfType<GemmKernel>());
        var (rows, columns, depth) = (gemm.Rows.Select(l => l.Var), gemm.Columns.Select(l => l.Var), gemm.Depth.Select(l => l.Var));
        Assert.NotNull(GemmOperandAccess.AffineLoad(gemm.B, [.. columns, .. depth]));
        Assert.False(gemm.Columns.Length == 1 && GemmOperandAccess.ContiguousLoad(gemm.B, gemm.Columns[0].Var) is not null);
        Assert.False(gemm.Depth.Length == 1 && GemmOperandAccess.ContiguousLoad(gemm.B, gemm.Depth[0].Var) is not null);
        if (name is "operand_views" or "convolution_weight_gradient")
        {
            Assert.NotNull(GemmOperandAccess.AffineLoad(gemm.A, [.. rows, .. depth]));
        }
    }

    /// <summary>
    /// The spacings a convolution's gathered B can have between neighbouring columns (output
    /// positions y, x; the batch is the GEMM's outer loop): the stride along x, or a carry into y,
    /// which moves by a row of the input less the row of output just passed. A stride-1 convolution never reads two apart,
    /// so its packing has no pairs-of-loads fill; a stride-2 one does.
    /// </summary>
    [Theory]
    [InlineData("convolution_stride_1", new long[] { 1, 21 - 18 })]
    [InlineData("convolution_stride_2", new long[] { 2, 2 * 65 - 31 * 2 })]
    public void GatheredColumnsAreSpacedAsTheirLoopsStep(string name, long[] expected)
    {
        var gemm = Assert.Single(ProgramBuilder.Build(Cases[name]().Graph).Kernels.OfType<GemmKernel>());
        var load = Assert.IsType<Load>(GemmOperandAccess.AffineLoad(gemm.B, [.. gemm.Columns.Select(l => l.Var), .. gemm.Depth.Select(l => l.Var)]));
        Assert.Equal(expected.Order(), Assert.IsAssignableFrom<IReadOnlySet<long>>(GemmLaneSpacing.Between(load, gemm.Columns, [])).Order());
    }

    /// <summary>
    /// A convolution's weights (A, the same for every image of the outer batch) are packed once
    /// per kernel run, into scratch that holds all of them; a batched product's A, which differs
    /// per outer index, and a single product of one column block, which packs A once anyway, are
    /// packed per task.
    /// </summary>
    [Theory]
    [InlineData("convolution_weights_packed_once", true)]
    [InlineData("padded_convolution_stride_2_pad_1", true)]
    [InlineData("batched", false)]
    [InlineData("rows_13", false)]
    public void SharedWeightsArePackedOnce(string name, bool once)
    {
        var gemm = Assert.Single(ProgramBuilder.Build(Cases[name]().Graph).Kernels.OfType<GemmKernel>());
        Assert.Equal(once, gemm.Tiling.PacksAOnce);
        if (once)
        {
            var (rows, depth) = (gemm.Rows.Aggregate(1L, (p, l) => p * Assert.IsType<IndexConst>(l.Extent).Value),
                gemm.Depth.Aggregate(1L, (p, l) => p * Assert.IsType<IndexConst>(l.Extent).Value));
            var tileRows = gemm.Tiling.TileRows;
            Assert.Equal((rows + tileRows - 1) / tileRows * tileRows * depth, gemm.Tiling.WholeAFloats);
            Assert.True(gemm.Tiling.ScratchBytes >= sizeof(float) * (gemm.Tiling.WholeAFloats + (long)gemm.Tiling.BlockDepth * gemm.Tiling.BlockColumns));
        }
    }

    /// <summary>
    /// A linear layer over a flattened image (few rows, its depth split into the image's channel,
    /// row and column loops) runs as dot products: both operands walk the depth as one loop.
    /// It ran as packed tiles, transposing all of the weights for 5 rows (TorchCnn's last layer).
    /// </summary>
    [Fact]
    public void FlattenedDepthRunsAsDotProducts()
    {
        var gemm = Assert.Single(ProgramBuilder.Build(Cases["few_rows_flattened_depth"]().Graph).Kernels.OfType<GemmKernel>());
        Assert.True(gemm.Depth.Length > 1, "the case needs a depth of several loops");
        Assert.NotNull(GemmDotProducts.Operands(gemm, []));
    }

    /// <summary>
    /// The channels-last convolution's weights are B read along k, so they are transposed into
    /// their panels, and its last panel on the host has at least one lane group with no column:
    /// the case covers the transpose's zero fill (a panel of 48 columns held 16 or 32 in
    /// ResNet-18's 512-channel convolutions).
    /// </summary>
    [Fact]
    public void ChannelsLastConvolutionTransposesIntoAPartialPanel()
    {
        var gemm = Assert.Single(ProgramBuilder.Build(Cases["channels_last_convolution"]().Graph).Kernels.OfType<GemmKernel>());
        var columnMajor = GemmOperandAccess.ContiguousLoad(gemm.B, gemm.Depth, []);
        Assert.NotNull(columnMajor);
        Assert.NotNull(GemmOperandAccess.Stride(columnMajor, gemm.Columns, []));
        var t = gemm.Tiling;
        Assert.True(t.TileColumns - 65 % t.TileColumns >= t.Lanes, $"{t}: the last panel needs a lane group past the columns");
    }

    /// <summary>A that would take more than the cap packed whole is packed per task, so scratch stays bounded.</summary>
    [Fact]
    public void WeightsOverTheCapArePackedPerTask()
    {
        var tiling = GemmTilingModel.Choose(4096, 64, 4096, 8);
        Assert.True(sizeof(float) * 4096L * 4096 > GemmTilingModel.MaximumWholeABytes);
        Assert.False(GemmTilingModel.PackingAOnce(tiling, aVariesWithOuter: false, null, 4096, 64, 4096).PacksAOnce);
        Assert.True(GemmTilingModel.PackingAOnce(tiling, aVariesWithOuter: false, null, 512, 64, 4096).PacksAOnce);
    }

    /// <summary>
    /// A zero pad under a convolution's unfold is no kernel of its own: the GEMM's B reads the
    /// unpadded input, a load affine in its loops with a bound per padded axis side.
    /// </summary>
    [Theory]
    [InlineData("padded_convolution_stride_1_pad_1")]
    [InlineData("padded_convolution_stride_2_pad_2")]
    public void ZeroPadsAreGatheredInPlace(string name)
    {
        var gemm = Assert.IsType<GemmKernel>(Assert.Single(ProgramBuilder.Build(Cases[name]().Graph).Kernels));
        var bounded = GemmOperandAccess.AffineBoundedLoad(gemm.B, [.. gemm.Columns.Select(l => l.Var), .. gemm.Depth.Select(l => l.Var)]);
        Assert.Equal(4, Assert.IsType<BoundedLoad>(bounded).Bounds.Length);
    }

    /// <summary>
    /// Operands read through a reshape that merges or splits attention heads are affine once the
    /// GEMM's loops are split (no division or remainder left in any index), so they are copied,
    /// transposed or gathered rather than packed element by element.
    /// </summary>
    [Theory]
    [InlineData("heads_merged_into_depth")]
    [InlineData("heads_split_from_depth")]
    public void ReshapedHeadsBecomeAffineOperands(string name)
    {
        var gemm = Assert.Single(ProgramBuilder.Build(Cases[name]().Graph).Kernels.OfType<GemmKernel>());
        Assert.NotNull(GemmOperandAccess.AffineLoad(gemm.A, [.. gemm.Rows.Select(l => l.Var), .. gemm.Depth.Select(l => l.Var)]));
        Assert.NotNull(GemmOperandAccess.AffineLoad(gemm.B, [.. gemm.Columns.Select(l => l.Var), .. gemm.Depth.Select(l => l.Var)]));
        Assert.DoesNotContain(new[] { gemm.A, gemm.B }.SelectMany(Subexpressions), e => e is IndexBinary { Op: IndexOp.Div or IndexOp.Rem });
    }

    /// <summary>
    /// Loop groups that walk memory as one loop are packed as one: rows over two loops of an
    /// operand contiguous along a depth over two loops take the transposing pack; the merged-heads
    /// operand, whose rows (batch, token) and depth (head, feature) do not, is not.
    /// </summary>
    [Fact]
    public void LoopGroupsThatWalkMemoryAsOneArePackedAsOne()
    {
        var grouped = Assert.Single(ProgramBuilder.Build(Cases["rows_and_depth_over_two_loops"]().Graph).Kernels.OfType<GemmKernel>());
        Assert.Equal((2, 2), (grouped.Rows.Length, grouped.Depth.Length));
        var rowMajor = Assert.IsType<Load>(GemmOperandAccess.ContiguousLoad(grouped.A, grouped.Depth, []));
        Assert.Equal(IndexMath.Const(30), GemmOperandAccess.Stride(rowMajor, grouped.Rows, []));

        var heads = Assert.Single(ProgramBuilder.Build(Cases["heads_merged_into_depth"]().Graph).Kernels.OfType<GemmKernel>());
        Assert.Null(GemmOperandAccess.ContiguousLoad(heads.A, heads.Depth, []));
        Assert.Null(GemmOperandAccess.Stride((Load)heads.A, heads.Rows, []));
    }

    /// <summary>The expression case's operands are not affine loads (else it would not test the element-by-element packs).</summary>
    [Fact]
    public void OperandExpressionsArePackedElementByElement()
    {
        var gemm = Assert.Single(ProgramBuilder.Build(OperandExpressions().Graph).Kernels.OfType<GemmKernel>());
        Assert.Null(GemmOperandAccess.AffineLoad(gemm.A, [.. gemm.Rows.Select(l => l.Var), .. gemm.Depth.Select(l => l.Var)]));
        Assert.Null(GemmOperandAccess.AffineLoad(gemm.B, [.. gemm.Columns.Select(l => l.Var), .. gemm.Depth.Select(l => l.Var)]));
    }

    /// <summary>LLVM decides the vector width from the CPU and its features.</summary>
    [Theory]
    [InlineData("haswell", null, 8)]
    [InlineData("skylake-avx512", null, 16)]
    [InlineData("skylake-avx512", "-avx512f", 8)]
    [InlineData("x86-64", null, 4)]
    [InlineData("x86-64", "+avx2,+fma", 8)]
    public void VectorLanesFollowTheCpu(string cpu, string? features, int lanes) =>
        Assert.Equal(lanes, new CpuTarget(Cpu: cpu, Features: features).VectorLanes);

    /// <summary>An AVX2 build tiles for 8 lanes, an AVX-512 build for 16, each within its register file.</summary>
    [Theory]
    [InlineData("haswell", 8, 16)]
    [InlineData("skylake-avx512", 16, 32)]
    public void TilesFitTheTargetsRegisters(string cpu, int lanes, int registers)
    {
        var gemm = Assert.Single(ProgramBuilder.Build(MatMul(1024, 1024, 1024).Graph, new CpuTarget(Cpu: cpu)).Kernels.OfType<GemmKernel>());
        var t = gemm.Tiling;
        Assert.Equal(lanes, t.Lanes);
        Assert.True(t.TileRows * t.TileVectors + t.TileVectors + 1 <= registers, $"{t} needs more than {registers} registers");
        Assert.True(t.TileRows * t.TileVectors >= registers / 2, $"{t} leaves most registers unused");
    }

    /// <summary>
    /// A larger L2 (the host's, when compiling for it) widens the packed B block, so A is packed
    /// fewer times; the register tile and the depth block, which fix each sum's order, stay.
    /// A named CPU's build assumes no host cache.
    /// </summary>
    [Fact]
    public void LargerL2WidensTheBlockOfBOnly()
    {
        var small = GemmTilingModel.Choose(1024, 1024, 1024, 16);
        var large = GemmTilingModel.Choose(1024, 1024, 1024, 16, 2 * 1024 * 1024);
        Assert.True(large.BlockColumns >= 2 * small.BlockColumns - small.TileColumns, $"{large} against {small}");
        Assert.Equal(small with { BlockColumns = large.BlockColumns }, large);
        Assert.Equal(0, large.BlockColumns % large.TileColumns);
        Assert.Null(new CpuTarget(Cpu: "skylake-avx512").L2CacheBytes);
    }

    /// <summary>
    /// With AVX2 the packed B block is 2 MiB whatever the L2 (B streams from L3 at the tile's
    /// pace); with AVX-512 it stays in half of L2. Blocks are rounded up to whole tiles.
    /// </summary>
    [Theory]
    [InlineData(8, 2 * 1024 * 1024)]
    [InlineData(16, 256 * 1024)]
    public void BlockOfBBytesFollowTheVectorWidth(int lanes, int bytes) =>
        AssertBlockOfB(GemmTilingModel.Choose(1024, 1024, 1024, lanes, 512 * 1024), bytes);

    /// <summary>
    /// A product shallower than the depth block packs all its depth as one block, as it did, and
    /// its B block is as much wider, so A is packed fewer times.
    /// </summary>
    [Fact]
    public void ShallowProductWidensTheBlockOfB()
    {
        var shallow = GemmTilingModel.Choose(4096, 4096, 64, 16);
        Assert.Equal(64, shallow.BlockDepth);
        AssertBlockOfB(shallow, 512 * 1024);
    }

    /// <summary>
    /// A product no wider than two tiles (4096 × 4096 × 64) takes the deepest depth block, so
    /// packing A reads it in longer runs; wider ones (64 × 4096 × 4096 among them) keep the depth
    /// block whose A micro-panel fills half of a small L1.
    /// </summary>
    [Fact]
    public void FewColumnsTakeTheDeepestDepthBlock()
    {
        var narrow = GemmTilingModel.Choose(4096, 64, 4096, 16);
        Assert.True(64 <= 2 * narrow.TileColumns, narrow.ToString());
        Assert.Equal(512, narrow.BlockDepth);
        foreach (var wide in new[] { GemmTilingModel.Choose(64, 4096, 4096, 16), GemmTilingModel.Choose(1024, 1024, 1024, 16) })
        {
            Assert.InRange(sizeof(float) * wide.TileRows * wide.BlockDepth, 16 * 1024 - sizeof(float) * wide.TileRows * 16 + 1, 16 * 1024);
        }
    }

    private static void AssertBlockOfB(GemmTiling t, int bytes)
    {
        var tileBytes = sizeof(float) * t.BlockDepth * t.TileColumns;
        Assert.InRange(sizeof(float) * t.BlockDepth * t.BlockColumns, bytes, bytes + tileBytes - 1);
    }

    /// <summary>sysfs writes cache sizes with a K or M suffix.</summary>
    [Theory]
    [InlineData("2048K", 2097152L)]
    [InlineData("1M\n", 1048576L)]
    [InlineData("524288", 524288L)]
    [InlineData("", null)]
    [InlineData("12Q", null)]
    [InlineData("-4K", null)]
    public void HostCacheSizesParse(string text, long? bytes) => Assert.Equal(bytes, HostCache.ParseSize(text));

    /// <summary>Few rows get a tile height that divides them (no short tail tiles), and blocks hold whole tiles.</summary>
    [Theory]
    [InlineData(16L, 144L, 4096L)]
    [InlineData(24L, 216L, 65536L)]
    public void TileHeightDividesSmallRowCounts(long rows, long columns, long depth)
    {
        var t = GemmTilingModel.Choose(rows, columns, depth, 16);
        Assert.Equal(0, rows % t.TileRows);
        Assert.Equal(0, t.BlockRows % t.TileRows);
        Assert.Equal(0, t.BlockColumns % t.TileColumns);
    }

    /// <summary>
    /// A weight gradient's long depth is cut into a fixed number of chunks, each an outer index of
    /// the GEMM writing its partial product, then summed by a map kernel into the gradient (with
    /// the epilogue): into as many chunks (up to 4) as divide a depth loop of fixed extent, the
    /// first such loop (the output rows, else the columns), however many threads run it.
    /// </summary>
    [Theory]
    [InlineData("weight_gradient_depth_in_chunks", 4, 9)]
    [InlineData("weight_gradient_depth_in_three_chunks", 3, 9)]
    [InlineData("weight_gradient_columns_in_chunks", 4, 6)]
    [InlineData("weight_gradient_symbolic_batch_in_chunks", 4, 8)]
    [InlineData("weight_gradient_in_chunks_epilogue", 4, 8)]
    public void WeightGradientDepthIsCutIntoChunks(string name, long chunks, long chunkExtent)
    {
        var kernels = ProgramBuilder.Build(Cases[name]().Graph).Kernels;
        Assert.Equal(2, kernels.Length);
        var gemm = Assert.IsType<GemmKernel>(kernels[0]);
        var sum = Assert.IsType<MapKernel>(kernels[1]);
        Assert.Equal(chunks, Value(Assert.Single(gemm.Outer).Extent));
        Assert.Contains(gemm.Depth, l => l.Extent is IndexConst { Value: var e } && e == chunkExtent);
        Assert.IsType<Accumulator>(gemm.Epilogue);
        Assert.Same(gemm.Output, Assert.Single(sum.Reads, r => r.Shape.Length == gemm.Output.Shape.Length));
        Assert.Equal(chunks, gemm.Output.Shape[0].FixedSize);
    }

    /// <summary>
    /// The depth stays whole for a batched product, an output over
    /// <see cref="GemmTilingModel.MaximumChunkedOutput"/>, chunks shorter than
    /// <see cref="GemmTilingModel.MinimumChunkDepth"/> (a symbolic batch counts as 1) and depth
    /// loops no chunk count divides.
    /// </summary>
    [Theory]
    [InlineData(1L, 16L, 144L, new long[] { 0, 64, 64 }, 1, 4)]
    [InlineData(1L, 24L, 216L, new long[] { 0, 32, 32 }, 1, 4)]
    [InlineData(1L, 16L, 144L, new long[] { 0, 27, 45 }, 1, 3)]
    [InlineData(1L, 16L, 144L, new long[] { 0, 35, 40 }, 2, 4)]
    [InlineData(1L, 16L, 144L, new long[] { 0, 16, 16 }, -1, 0)]
    [InlineData(1L, 16L, 144L, new long[] { 0, 35, 35 }, -1, 0)]
    [InlineData(1L, 128L, 256L, new long[] { 0, 64, 64 }, -1, 0)]
    [InlineData(8L, 16L, 144L, new long[] { 0, 64, 64 }, -1, 0)]
    public void DepthIsCutOnlyWhereLongAndTheOutputSmall(long outer, long rows, long columns, long[] depth, int loop, int chunks)
    {
        var split = GemmTilingModel.DepthSplit(outer, rows, columns, [.. depth.Select(d => d == 0 ? null : (long?)d)]);
        Assert.Equal(loop < 0 ? null : (loop, chunks), split);
    }

    /// <summary>
    /// A product with few rows and a long depth (a convolution's weight gradient) still cuts
    /// into tasks for two threads; a large one into the tiling's task count; a batch into one
    /// task per product at least.
    /// </summary>
    [Theory]
    [InlineData(1, 24, 216, 65536, 2)]
    [InlineData(1, 1024, 1024, 1024, GemmTilingModel.Tasks)]
    [InlineData(64, 64, 64, 64, 64)]
    public void ShortLoopsStillGiveEveryThreadWork(int outer, int rows, int columns, int depth, int atLeast)
    {
        var graph = outer == 1
            ? MatMul(rows, depth, columns).Graph
            : Contract("batched", [outer, rows, depth], [outer, depth, columns], [0, 1, 2], [0, 2, 3], [0, 1, 3]).Graph;
        var gemm = Assert.Single(ProgramBuilder.Build(graph).Kernels.OfType<GemmKernel>());
        var tasks = Assert.IsType<IndexConst>(GemmPartition.Of(gemm).Tasks);
        Assert.True(tasks.Value >= atLeast, $"{tasks.Value} tasks for {outer}x{rows}x{columns}x{depth}");
    }

    /// <summary>
    /// The parallel loop runs the partition's tasks in iterations of at least
    /// <see cref="GemmPartition.IterationWork"/> multiply-adds: an MLP's logits (128 × 512 × 10,
    /// 8 tasks) and their gradients are one iteration, run by the calling thread alone; a large
    /// product keeps one iteration per task.
    /// </summary>
    [Theory]
    [InlineData(128, 512, 10, 1)]
    [InlineData(10, 128, 512, 1)]
    [InlineData(128, 10, 512, 1)]
    [InlineData(1024, 1024, 1024, 0)]
    public void TinyProductsAreOneIteration(int rows, int depth, int columns, long iterations)
    {
        var gemm = Assert.Single(ProgramBuilder.Build(MatMul(rows, depth, columns).Graph, new CpuTarget(Cpu: "skylake-avx512")).Kernels.OfType<GemmKernel>());
        var partition = GemmPartition.Of(gemm);
        Assert.True(Value(partition.Tasks) > 1, "the case needs several tasks");
        Assert.Equal(iterations == 0 ? Value(partition.Tasks) : iterations, Value(partition.Iterations));
    }

    /// <summary>
    /// The two halves of the task range (two threads' shares) hold the same output to within one
    /// register tile's rows across all columns and, with several column blocks, one vector of
    /// columns across all rows. With several column blocks (AVX-512's 8 × 48 tile, 480-column B
    /// blocks): 512 columns are two blocks of 256, not 288 and 224, which gave one thread 29 % more
    /// work; 1000 columns are blocks of 12 or 13 vectors, not four of 13 and one of 11. With the model's own tiling for a tall product (14 × 32 tile, 112-row
    /// blocks): 4096 rows were 37 blocks of 112 rows, split 19/18 (8 % more for one thread); now
    /// 38 blocks of 7 or 8 tiles, split in the middle.
    /// </summary>
    [Theory]
    [InlineData(1024, 784, 512, true)]
    [InlineData(1024, 256, 1024, true)]
    [InlineData(128, 2048, 2048, true)]
    [InlineData(4096, 4096, 64, false)]
    [InlineData(4000, 512, 64, false)]
    [InlineData(1000, 512, 1000, false)]
    public void TwoThreadsGetEqualShares(int rows, int depth, int columns, bool fixedTiling)
    {
        var gemm = Assert.Single(ProgramBuilder.Build(MatMul(rows, depth, columns).Graph, new CpuTarget(Cpu: "skylake-avx512")).Kernels.OfType<GemmKernel>());
        if (fixedTiling)
        {
            gemm = gemm with { Tiling = new GemmTiling(16, 8, 3, 512, 64, 480, GemmTilingModel.Tasks) };
        }
        var partition = GemmPartition.Of(gemm);
        var (rowBlocks, rowPanels, tileRows) = (Value(partition.RowBlocks), Value(partition.RowPanels), gemm.Tiling.TileRows);
        var (columnBlocks, columnVectors, lanes) = (Value(partition.ColumnBlocks), Value(partition.ColumnVectors), gemm.Tiling.Lanes);
        Assert.True(!fixedTiling || columnBlocks > 1, "the case needs several column blocks");
        var tasks = Value(partition.Tasks);
        long Start(long block, long blocks, long units, long unit, long size) => Math.Min(block * units / blocks * unit, size);
        long Length(long block, long blocks, long units, long unit, long size) => Start(block + 1, blocks, units, unit, size) - Start(block, blocks, units, unit, size);
        long Elements(long task) =>
            Length(task % rowBlocks, rowBlocks, rowPanels, tileRows, rows) * Length(task / rowBlocks % columnBlocks, columnBlocks, columnVectors, lanes, columns);
        var half = (tasks + 1) / 2;
        var (first, second) = (Sum(0, half), Sum(half, tasks));
        Assert.Equal((long)rows * columns, first + second);
        var oneTileRowOrVector = tileRows * columns + (columnBlocks > 1 ? lanes * rows : 0);
        Assert.True(Math.Abs(first - second) <= oneTileRowOrVector, $"shares {first} and {second} of {rows}x{columns}");

        long Sum(long begin, long end)
        {
            var sum = 0L;
            for (var task = begin; task < end; task++)
            {
                sum += Elements(task);
            }
            return sum;
        }
    }

    /// <summary>
    /// With the host's 2 MiB L2 (AVX-512): a tall product (the batch-1024 MLP's first layer)
    /// packs B in one column block, so A is packed once (a 480-column block made 512 columns two
    /// blocks and packed A twice); a wide one (batch 128) keeps two column blocks, so that two
    /// threads each pack half of B, not all of it.
    /// </summary>
    [Theory]
    [InlineData(1024, 784, 512, 1)]
    [InlineData(128, 784, 512, 2)]
    [InlineData(128, 512, 512, 2)]
    public void TallProductsKeepBWholeAndWideOnesSplitIt(int rows, int depth, int columns, long columnBlocks)
    {
        var gemm = Assert.Single(ProgramBuilder.Build(MatMul(rows, depth, columns).Graph, new CpuTarget(Cpu: "skylake-avx512")).Kernels.OfType<GemmKernel>());
        gemm = gemm with { Tiling = GemmTilingModel.Choose(rows, columns, depth, 16, 2 * 1024 * 1024) };
        var partition = GemmPartition.Of(gemm);
        Assert.Equal(columnBlocks, Value(partition.ColumnBlocks));
        Assert.Equal(0, Value(partition.Tasks) % (2 * columnBlocks));
    }

    /// <summary>
    /// A batched product with more columns than rows (attention's scores, 16 heads of 64 × 64 ×
    /// 256) keeps B whole: its outer index already gives every thread work, so a second column
    /// block would only pack A twice.
    /// </summary>
    [Fact]
    public void BatchedWideProductsKeepBWhole()
    {
        var b = new SweepCaseBuilder("gemm_batched");
        var graph = b.Build(b.Graph.Contract(b.Floats([16, 64, 64]), b.Floats([16, 64, 256]), [0, 1, 2], [0, 2, 3], [0, 1, 3])).Graph;
        var gemm = Assert.Single(ProgramBuilder.Build(graph, new CpuTarget(Cpu: "skylake-avx512")).Kernels.OfType<GemmKernel>());
        gemm = gemm with { Tiling = new GemmTiling(16, 8, 3, 512, 64, 480, GemmTilingModel.Tasks) };
        var partition = GemmPartition.Of(gemm);
        Assert.Equal(16, Value(partition.Outer));
        Assert.Equal(1, Value(partition.ColumnBlocks));
    }

    private static long Value(Expr size) => Assert.IsType<IndexConst>(size).Value;

    private static SweepCase MatMul(int m, int k, int n) => Contract($"matmul_{m}x{k}x{n}", [m, k], [k, n], [0, 1], [1, 2], [0, 2]);

    private static SweepCase Contract(string name, int[] left, int[] right, int[] leftLabels, int[] rightLabels, int[] outputLabels)
    {
        var b = new SweepCaseBuilder("gemm_" + name);
        return b.Build(b.Graph.Contract(b.Floats(left), b.Floats(right), leftLabels, rightLabels, outputLabels));
    }

    // The batch is symbolic: the tile is chosen for a large batch, so these rows end in tiles of
    // several smaller heights, and the partition is only known at run time.
    private static SweepCase SymbolicRows(int rows)
    {
        var b = new SweepCaseBuilder($"gemm_symbolic_rows_{rows}");
        var x = b.Input(ElementType.F32, Shape.Of(new[] { Dim.Symbolic("B"), Dim.Of(29) }), [rows, 29], r => r.NextDouble() * 4 - 2);
        return b.Build(b.Graph.Contract(x, b.Floats([29, 35]), [0, 1], [1, 2], [0, 2]));
    }

    // tanh(x · wᵀ + bias) with a symbolic batch, w stored [out, in] as a linear layer's weight:
    // up to GemmDotProducts.MaxRows rows run the dot products, more the packed tiles, chosen when
    // the kernel runs; with at most GemmDotProducts.MaxColumns outputs every batch runs the dot products.
    private static SweepCase SymbolicLinear(int rows, int outputs = 150)
    {
        var b = new SweepCaseBuilder($"gemm_symbolic_linear_{rows}x{outputs}");
        var x = b.Input(ElementType.F32, Shape.Of(new[] { Dim.Symbolic("B"), Dim.Of(70) }), [rows, 70], r => r.NextDouble() * 0.5 - 0.25);
        var product = b.Graph.Contract(x, b.Floats([outputs, 70], -0.25, 0.25), [0, 1], [2, 1], [0, 2]);
        var biased = b.Graph.Binary(BinaryKind.Add, product, b.Graph.BroadcastTo(b.Floats([outputs]), product.Type.Shape));
        return b.Build(b.Graph.Unary(UnaryKind.Tanh, biased));
    }

    // Leaky ReLU of x · w: the compare, the scaling and the select each read the product, so the
    // epilogue is a graph that meets again at the select, not a chain of single readers.
    private static SweepCase LeakyReluEpilogue()
    {
        var b = new SweepCaseBuilder("gemm_leaky_relu_epilogue");
        var g = b.Graph;
        var product = g.Contract(b.Floats([13, 70], -0.25, 0.25), b.Floats([70, 35], -0.25, 0.25), [0, 1], [1, 2], [0, 2]);
        return b.Build(g.Select(g.Compare(CompareKind.Gt, product, g.Filled(0, product)), product, g.Binary(BinaryKind.Mul, product, 0.01)));
    }

    private static IEnumerable<Expr> Subexpressions(Expr expr) => ExprWalker.Children(expr).SelectMany(Subexpressions).Prepend(expr);

    // Attention's output projection: o [2, 4 heads, 6 tokens, 8] permuted to [2, 6, 4, 8] and
    // reshaped to [2, 6, 32], times a linear weight stored [13, 32]: the depth runs over head × feature.
    private static SweepCase HeadsMergedIntoDepth()
    {
        var b = new SweepCaseBuilder("gemm_heads_merged_into_depth");
        var merged = b.Graph.Add(new ReshapeOp(Shape.Of(2, 6, 32)), b.Graph.Add(new PermuteOp([0, 2, 1, 3]), b.Floats([2, 4, 6, 8])));
        return b.Build(b.Graph.Contract(merged, b.Floats([13, 32]), [0, 1, 2], [3, 2], [0, 1, 3]));
    }

    // Attention scores: q and k [2, 6 tokens, 32] reshaped to [2, 6, 4 heads, 8] and permuted
    // to [2, 4, 6, 8], q · kᵀ per batch and head.
    private static SweepCase HeadsSplitFromDepth()
    {
        var b = new SweepCaseBuilder("gemm_heads_split_from_depth");
        Node Heads(Node x) => b.Graph.Add(new PermuteOp([0, 2, 1, 3]), b.Graph.Add(new ReshapeOp(Shape.Of(2, 6, 4, 8)), x));
        return b.Build(b.Graph.Contract(Heads(b.Floats([2, 6, 32])), Heads(b.Floats([2, 6, 32])), [0, 1, 2, 4], [0, 1, 3, 4], [0, 1, 2, 3]));
    }

    // reverse(x) · reverse(w): views inlined into the GEMM as loads that walk memory backwards.
    private static SweepCase OperandViews()
    {
        var b = new SweepCaseBuilder("gemm_operand_views");
        var a = b.Graph.Add(new ReverseOp([1]), b.Floats([13, 29]));
        var w = b.Graph.Add(new ReverseOp([0, 1]), b.Floats([29, 35]));
        return b.Build(b.Graph.Contract(a, w, [0, 1], [1, 2], [0, 2]));
    }

    // gather(x, i) · gather(w, j): rows picked through index tensors, loads at addresses read
    // from memory, evaluated element by element while packing. (Pads and concatenations read by
    // a GEMM are stored, see FusionPlanner.)
    private static SweepCase OperandExpressions()
    {
        var b = new SweepCaseBuilder("gemm_operand_expressions");
        var a = b.Graph.Add(new GatherOp(0), b.Floats([20, 29]), b.Ints([13], 0, 20));
        var w = b.Graph.Add(new GatherOp(0), b.Floats([40, 35]), b.Ints([29], 0, 40));
        return b.Build(b.Graph.Contract(a, w, [0, 1], [1, 2], [0, 2]));
    }

    // A 3×3 stride-2 convolution of a (2, 3, 11, 9) input over an unfold, 4 output channels: B
    // reads the input through the window (depth = channel × kernel row × kernel column). Its
    // weight gradient reads the same unfold with the depth over batch × output rows × columns.
    private static SweepCase Convolution(bool weightGradient)
    {
        var b = new SweepCaseBuilder(weightGradient ? "gemm_convolution_weight_gradient" : "gemm_convolution");
        var cols = b.Graph.Add(new UnfoldOp(Window2d.Square(3, 2)), b.Floats([2, 3, 11, 9]));
        return weightGradient
            ? b.Build(b.Graph.Contract(b.Floats([2, 4, 5, 4]), cols, [0, 6, 4, 5], [0, 1, 2, 3, 4, 5], [6, 1, 2, 3]))
            : b.Build(b.Graph.Contract(cols, b.Floats([4, 3, 3, 3]), [0, 1, 2, 3, 4, 5], [6, 1, 2, 3], [0, 6, 4, 5]));
    }

    // 3×3 convolutions whose rows of output positions are long enough for B's vectors to stay in
    // one row: at stride 1 (a (2, 3, 20, 21) input, 19 positions per row) a panel whose vectors
    // each do is copied with masked loads, at stride 2 (a (2, 2, 7, 65) input, 32 per row) with
    // two loads per vector whose even elements are kept; the other panels are gathered.
    private static SweepCase WideConvolution(int stride, int[] input, int outputs)
    {
        var b = new SweepCaseBuilder($"gemm_convolution_stride_{stride}");
        var cols = b.Graph.Add(new UnfoldOp(Window2d.Square(3, stride)), b.Floats(input));
        return b.Build(b.Graph.Contract(cols, b.Floats([outputs, input[1], 3, 3]), [0, 1, 2, 3, 4, 5], [6, 1, 2, 3], [0, 6, 4, 5]));
    }

    // 3×3 convolutions of a zero-padded input (pad on both sides of both spatial axes), read by
    // the GEMM in place: lanes outside the input masked off, at stride 1 partly by masked
    // vector loads (rows of 8: a vector spans rows, its edge lanes masked), at stride 2 by pairs of
    // loads, elsewhere by gathers.
    private static SweepCase PaddedConvolution(int stride, int pad, int[] input, int outputs)
    {
        var b = new SweepCaseBuilder($"gemm_padded_convolution_stride_{stride}_pad_{pad}_{input[2]}x{input[3]}");
        var padded = b.Graph.Add(new PadOp([new AxisPadding(2, pad, pad), new AxisPadding(3, pad, pad)], 0), b.Floats(input));
        var cols = b.Graph.Add(new UnfoldOp(Window2d.Square(3, stride)), padded);
        return b.Build(b.Graph.Contract(cols, b.Floats([outputs, input[1], 3, 3]), [0, 1, 2, 3, 4, 5], [6, 1, 2, 3], [0, 6, 4, 5]));
    }

    // A 3 × 3 convolution (pad 1) of a symbolic batch of 5-channel 2 × 2 images to 65 channels,
    // computed as einspace computes it, (B, H, W, C): the positions of all images are the rows.
    private static SweepCase ChannelsLastConvolution()
    {
        var b = new SweepCaseBuilder("gemm_channels_last_convolution");
        var x = b.Input(ElementType.F32, Shape.Of(new[] { Dim.Symbolic("B"), Dim.Of(5), Dim.Of(2), Dim.Of(2) }), [3, 5, 2, 2], r => r.NextDouble() * 4 - 2);
        var padded = b.Graph.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], 0), x);
        var cols = b.Graph.Add(new UnfoldOp(Window2d.Square(3, 1)), padded);
        return b.Build(b.Graph.Contract(cols, b.Floats([65, 5, 3, 3]), [0, 1, 2, 3, 4, 5], [6, 1, 2, 3], [0, 4, 5, 6]));
    }

    // The weight gradient of a 3×3 convolution of a zero-padded input (pad 1, stride 1):
    // dY [batch, outputs, H, W] against the input's unfold, into [outputs, channels, 3, 3],
    // optionally with a symbolic batch, or with another gradient added (accumulated gradients).
    private static SweepCase PaddedWeightGradient(int[] input, int outputs, bool symbolicBatch = false, bool epilogue = false)
    {
        var b = new SweepCaseBuilder($"gemm_padded_weight_gradient_{string.Join('x', input)}_{outputs}{(symbolicBatch ? "_symbolic" : "")}{(epilogue ? "_epilogue" : "")}");
        Node Batched(int[] shape) => symbolicBatch
            ? b.Input(ElementType.F32, Shape.Of([Dim.Symbolic("B"), .. shape[1..].Select(Dim.Of)]), shape, r => r.NextDouble() * 4 - 2)
            : b.Floats(shape);
        var padded = b.Graph.Add(new PadOp([new AxisPadding(2, 1, 1), new AxisPadding(3, 1, 1)], 0), Batched(input));
        var cols = b.Graph.Add(new UnfoldOp(Window2d.Square(3, 1)), padded);
        var gradient = b.Graph.Contract(Batched([input[0], outputs, input[2], input[3]]), cols, [0, 6, 4, 5], [0, 1, 2, 3, 4, 5], [6, 1, 2, 3]);
        return b.Build(epilogue ? b.Graph.Binary(BinaryKind.Add, gradient, b.Floats([outputs, input[1], 3, 3])) : gradient);
    }

    // x [5, 4, 6, 7] flattened to [5, 168] times wᵀ, w [10, 168]: a linear layer after a
    // convolution, whose reshape splits the depth into three loops.
    private static SweepCase FewRowsFlattenedDepth()
    {
        var b = new SweepCaseBuilder("gemm_few_rows_flattened_depth");
        var flat = b.Graph.Add(new ReshapeOp(Shape.Of(5, 168)), b.Floats([5, 4, 6, 7]));
        return b.Build(b.Graph.Contract(flat, b.Floats([10, 168]), [0, 1], [2, 1], [0, 2]));
    }

    // tanh(x · w + bias): the bias add and tanh run over each row block after the last depth
    // block. Inputs of ±0.25 keep the sums of order 1, the scale of tanh's outputs that the
    // tolerance is relative to (a target without FMA rounds each product as well as each sum).
    private static SweepCase Epilogue()
    {
        var b = new SweepCaseBuilder("gemm_epilogue");
        var product = b.Graph.Contract(b.Floats([13, 300], -0.25, 0.25), b.Floats([300, 35], -0.25, 0.25), [0, 1], [1, 2], [0, 2]);
        var biased = b.Graph.Binary(BinaryKind.Add, product, b.Graph.BroadcastTo(b.Floats([35]), product.Type.Shape));
        return b.Build(b.Graph.Unary(UnaryKind.Tanh, biased));
    }
}
