using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Emits a <see cref="GemmKernel"/> as a blocked, packed matrix product in the style of
/// Goto/BLIS, blocked as its <see cref="GemmTiling"/> says. The parallel loop runs over tasks
/// (outer index × column block × row block, see <see cref="GemmPartition"/>); each task owns its
/// block of the output, so no two threads touch one element. A thread walks its tasks in groups
/// that share a column block: per depth block it packs that block of B once, then for each of its
/// row blocks packs A and runs the register tiles over the block, accumulating straight into the
/// output (the first depth block stores, later ones add). An A that is the same for every outer
/// index (a convolution's weights, the batch outer) is packed whole instead, each row block on a
/// thread's first visit, and reused by all its later groups (<see cref="GemmTiling.WholeAFloats"/>).
/// Each element's sum runs over k in the
/// same order for any thread count. After the last depth block the epilogue (bias, activation)
/// runs over each row block while it is still in cache. A product of few rows (or of few
/// columns) whose operands are both contiguous along k runs as dot products instead
/// (<see cref="GemmDotProducts"/>).
/// </summary>
internal static class GemmKernelEmitter
{
    public static void Emit(LlvmEmitter e, MathFunctions math, GemmKernel kernel, IReadOnlyList<string> symbols)
    {
        var tiling = kernel.Tiling;
        var partition = GemmPartition.Of(kernel);
        KernelFunction.EmitExtent(e, math, kernel, symbols, partition.Iterations);

        var f = KernelFunction.Start(e, math, kernel, symbols);
        var x = f.Expressions;
        var loops = new GemmLoops(x, kernel);
        var packing = new GemmPacking(e, x, loops, kernel, symbols);
        var (m, n, k) = (x.Emit(partition.Rows), x.Emit(partition.Columns), x.Emit(partition.Depth));
        var (rowBlocks, rowPanels) = (x.Emit(partition.RowBlocks), x.Emit(partition.RowPanels));
        var (columnBlocks, columnVectors) = (x.Emit(partition.ColumnBlocks), x.Emit(partition.ColumnVectors));
        var (depthBlocks, depthPerBlock) = (x.Emit(partition.DepthBlocks), x.Emit(partition.DepthPerBlock));
        var packedA = f.Scratch;
        var packedB = e.Gep(e.F32, packedA, e.Int(tiling.PackedAFloats));
        var output = x.Address(kernel.Output, [.. kernel.Output.Shape.Select(_ => (Expr)IndexMath.Const(0))]);
        var (mr, nr) = (tiling.TileRows, tiling.TileColumns);
        // The call's iterations [Begin, End) as the partition's tasks [begin, end).
        var perIteration = x.Emit(partition.TasksPerIteration);
        var (begin, end) = (e.Mul(f.Begin, perIteration), e.SMin(e.Mul(f.End, perIteration), x.Emit(partition.Tasks)));

        // With one tile of rows in all, each element of B is used once: a plain B is then read in
        // place (its whole panels; a partial last panel is still packed, zero-padded), which saves
        // writing and rereading it (batch-1 inference).
        var inPlace = packing.InPlaceB();
        var readsInPlace = inPlace is null ? e.Bool(false) : e.ICmp(LLVMIntPredicate.LLVMIntSLE, m, e.Int(mr));

        // A product of few rows (small-batch inference) with A and B contiguous along k runs as
        // dot products; when the rows are symbolic, the row count picks the path at run time,
        // except for few constant columns, whose dot products take any number of rows.
        var dots = GemmDotProducts.For(e, x, loops, kernel, partition.Rows, partition.Columns, symbols);
        // The tiled path's loops call the tile routine, pack or run the epilogue: unrolling them
        // gains nothing at run time and was most of LLVM's time on GEMM kernels. The dot products
        // keep it (their k loop is the arithmetic).
        void Tiles() => e.WithoutUnrolling(TileLoops);
        if (dots is null)
        {
            Tiles();
        }
        else if (partition.Rows is IndexConst || dots.TakesAnyRows)
        {
            FewRows(dots);
        }
        else
        {
            var few = e.ICmp(LLVMIntPredicate.LLVMIntSLE, m, e.Int(dots.RowLimit));
            e.If(few, () => FewRows(dots));
            e.If(e.ICmp(LLVMIntPredicate.LLVMIntSGT, m, e.Int(dots.RowLimit)), Tiles);
        }
        f.Finish();

        // Block b of count: units [b·units/count, (b+1)·units/count) of width unit, the last cut at
        // size (the partition's balanced row and column blocks).
        (LLVMValueRef Start, LLVMValueRef Length) Block(LLVMValueRef block, LLVMValueRef count, LLVMValueRef units, int unit, LLVMValueRef size)
        {
            LLVMValueRef Boundary(LLVMValueRef b) => e.SMin(e.Mul(e.UDiv(e.Mul(b, units), count), e.Int(unit)), size);
            var start = Boundary(block);
            return (start, e.Sub(Boundary(e.Add(block, e.Int(1))), start));
        }
        (LLVMValueRef Start, LLVMValueRef Length) RowBlock(LLVMValueRef rowBlock) => Block(rowBlock, rowBlocks, rowPanels, mr, m);
        (LLVMValueRef Start, LLVMValueRef Length) ColumnBlock(LLVMValueRef group) => Block(e.URem(group, columnBlocks), columnBlocks, columnVectors, tiling.Lanes, n);

        // Few rows: the partition's tasks are (outer index, column block, row block).
        void FewRows(GemmDotProducts dots) => e.For(begin, end, task =>
        {
            var group = e.UDiv(task, rowBlocks);
            var outerIndex = e.UDiv(group, columnBlocks);
            loops.BindOuter(outerIndex);
            var (n0, nLength) = ColumnBlock(group);
            var (m0, mLength) = RowBlock(e.URem(task, rowBlocks));
            var block = e.Gep(e.F32, output, e.Add(e.Mul(e.Add(e.Mul(outerIndex, m), m0), n), n0));
            dots.Emit(block, n, m0, mLength, n0, nLength, k);
        });

        // Where A packed whole keeps rows [m0, m0 + panels·MR) × depth block [k0, …): row blocks
        // start on whole tiles, so each owns the rows m0 … up to its panels at k elements a row,
        // and in that range its depth blocks follow one another, each panels·MR rows tall.
        LLVMValueRef WholeABlock(LLVMValueRef m0, LLVMValueRef panels, LLVMValueRef k0) =>
            e.Gep(e.F32, packedA, e.Add(e.Mul(m0, k), e.Mul(k0, e.Mul(panels, e.Int(mr)))));

        // Tasks [begin, end) cover groups begin / rowBlocks … (end − 1) / rowBlocks; in each, the
        // row blocks that fall in the range. (end − 1 stays a signed division: it is −1 for an empty range.)
        void TileLoops()
        {
            var firstGroup = e.UDiv(begin, rowBlocks);
            var endGroup = e.Add(e.SDiv(e.Sub(end, e.Int(1)), rowBlocks), e.Int(1));
            var firstGroupStart = e.Sub(begin, e.Mul(firstGroup, rowBlocks));
            e.For(firstGroup, endGroup, group =>
            {
                var groupStart = e.Mul(group, rowBlocks);
                var firstRowBlock = e.SMax(e.Sub(begin, groupStart), e.Int(0));
                var endRowBlock = e.SMin(e.Sub(end, groupStart), rowBlocks);
                var outerIndex = e.UDiv(group, columnBlocks);
                loops.BindOuter(outerIndex);
                var (n0, nLength) = ColumnBlock(group);
                var columnPanels = e.UDiv(e.Add(nLength, e.Int(nr - 1)), e.Int(nr));
                var outputBlock = e.Gep(e.F32, output, e.Add(e.Mul(e.Mul(outerIndex, m), n), n0));

                e.For(e.Int(0), depthBlocks, depthBlock =>
                {
                    var k0 = e.Mul(depthBlock, depthPerBlock);
                    var kLength = e.SMin(depthPerBlock, e.Sub(k, k0));
                    var accumulate = e.ICmp(LLVMIntPredicate.LLVMIntSGT, depthBlock, e.Int(0));
                    var last = e.ICmp(LLVMIntPredicate.LLVMIntEQ, depthBlock, e.Sub(depthBlocks, e.Int(1)));
                    var inPlacePanels = e.Select(readsInPlace, e.UDiv(nLength, e.Int(nr)), e.Int(0));
                    var firstPacked = e.Mul(inPlacePanels, e.Int(nr));
                    packing.PackB(packedB, k0, kLength, e.Add(n0, firstPacked), e.Sub(nLength, firstPacked));
                    e.For(firstRowBlock, endRowBlock, rowBlock =>
                    {
                        var (m0, mLength) = RowBlock(rowBlock);
                        var rowPanels = e.UDiv(e.Add(mLength, e.Int(mr - 1)), e.Int(mr));
                        var blockA = tiling.PacksAOnce ? WholeABlock(m0, rowPanels, k0) : packedA;
                        if (tiling.PacksAOnce)
                        {
                            // This thread's first visit of the row block packs it: in its first
                            // group, or in the next for the row blocks the first group starts after.
                            var first = e.Or(
                                e.ICmp(LLVMIntPredicate.LLVMIntEQ, group, firstGroup),
                                e.And(e.ICmp(LLVMIntPredicate.LLVMIntEQ, group, e.Add(firstGroup, e.Int(1))),
                                    e.ICmp(LLVMIntPredicate.LLVMIntSLT, rowBlock, firstGroupStart)));
                            e.If(first, () => packing.PackA(blockA, m0, mLength, k0, kLength));
                        }
                        else
                        {
                            packing.PackA(packedA, m0, mLength, k0, kLength);
                        }
                        e.For(e.Int(0), rowPanels, rowPanel =>
                        {
                            var aPanel = e.Gep(e.F32, blockA, e.Mul(rowPanel, e.Mul(kLength, e.Int(mr))));
                            var row = e.Add(m0, e.Mul(rowPanel, e.Int(mr)));
                            var rows = e.SMin(e.Int(mr), e.Sub(mLength, e.Mul(rowPanel, e.Int(mr))));
                            e.For(e.Int(0), columnPanels, columnPanel =>
                            {
                                var column = e.Mul(columnPanel, e.Int(nr));
                                var columns = e.SMin(e.Int(nr), e.Sub(nLength, column));
                                var tile = e.Gep(e.F32, outputBlock, e.Add(e.Mul(row, n), column));
                                var (b, bStride) = (e.Gep(e.F32, packedB, e.Mul(e.Sub(columnPanel, inPlacePanels), e.Mul(kLength, e.Int(nr)))), e.Int(nr));
                                if (inPlace is { } source)
                                {
                                    loops.BindDepth(k0);
                                    loops.BindColumn(e.Add(n0, column));
                                    var packed = e.ICmp(LLVMIntPredicate.LLVMIntSGE, columnPanel, inPlacePanels);
                                    b = e.Select(packed, b, x.Address(source.Load.Buffer, source.Load.Indices));
                                    bStride = e.Select(packed, bStride, source.Stride);
                                }
                                GemmMicroKernel.CallTile(e, tiling, aPanel, b, bStride, kLength, tile, n, accumulate, rows, columns);
                            });
                        });
                        if (kernel.Epilogue is not Accumulator)
                        {
                            var rowStart = e.Gep(e.F32, outputBlock, e.Mul(m0, n));
                            e.If(last, () => Epilogue(e, x, loops, kernel, rowStart, n, m0, n0, mLength, nLength));
                        }
                    });
                });
            });
        }
    }

    /// <summary>out = epilogue(out) over <paramref name="rows"/> × <paramref name="columns"/> from <paramref name="start"/>, row by row; the column loop is contiguous so LLVM can vectorise it.</summary>
    internal static void Epilogue(
        LlvmEmitter e, ExprEmitter x, GemmLoops loops, GemmKernel kernel, LLVMValueRef start, LLVMValueRef ldc,
        LLVMValueRef firstRow, LLVMValueRef firstColumn, LLVMValueRef rows, LLVMValueRef columns)
    {
        e.For(e.Int(0), rows, r =>
        {
            loops.BindRow(e.Add(firstRow, r));
            var rowStart = e.Gep(e.F32, start, e.Mul(r, ldc));
            e.For(e.Int(0), columns, c =>
            {
                loops.BindColumn(e.Add(firstColumn, c));
                var target = e.Gep(e.F32, rowStart, c);
                x.AccumulatorValue = e.Load(e.F32, target);
                e.Store(x.Emit(kernel.Epilogue), target);
            });
        });
    }
}
