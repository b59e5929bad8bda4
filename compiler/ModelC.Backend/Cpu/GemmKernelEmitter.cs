using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Emits a <see cref="GemmKernel"/> as a blocked, packed matrix product in the style of
/// Goto/BLIS. The parallel loop runs over tasks (outer index × row block × column block); each
/// task owns its block of the output, so no two threads touch one element and every element's
/// sum runs over k in the same order for any thread count. Per depth block, the task packs
/// A (rows × depth) into MR-row panels and B (depth × columns) into NR-column panels, evaluating
/// the operand expressions as it goes (this is where views, unfolds and broadcasts are
/// absorbed), then a register-tiled micro-kernel keeps an MR × NR tile of sums in vector
/// registers across the depth block with fused multiply-adds. The epilogue runs over the block
/// once all depth blocks are summed.
/// </summary>
internal static class GemmKernelEmitter
{
    /// <summary>Vector lanes of the micro-kernel (8 floats: AVX).</summary>
    public const int Lanes = 8;

    /// <summary>Rows of the register tile.</summary>
    public const int TileRows = 6;

    /// <summary>Columns of the register tile (two vectors).</summary>
    public const int TileColumns = 2 * Lanes;

    /// <summary>Rows per task (a multiple of <see cref="TileRows"/>).</summary>
    public const int BlockRows = 16 * TileRows;

    /// <summary>Columns per task (a multiple of <see cref="TileColumns"/>).</summary>
    public const int BlockColumns = 16 * TileColumns;

    /// <summary>Depth per packed block.</summary>
    public const int BlockDepth = 256;

    /// <summary>Scratch bytes per thread: packed A, packed B and one tile.</summary>
    public const long ScratchBytes = sizeof(float) * ((long)BlockRows * BlockDepth + (long)BlockDepth * BlockColumns + TileRows * TileColumns);

    public static void Emit(LlvmEmitter e, MathFunctions math, GemmKernel kernel, IReadOnlyList<string> symbols)
    {
        static Expr Product(IEnumerable<Loop> loops) => loops.Aggregate((Expr)IndexMath.Const(1), (p, l) => IndexMath.Mul(p, l.Extent));
        static Expr Blocks(Expr size, int block) => IndexMath.Div(IndexMath.Add(size, IndexMath.Const(block - 1)), IndexMath.Const(block));
        var (outerSize, rowSize, columnSize, depthSize) = (Product(kernel.Outer), Product(kernel.Rows), Product(kernel.Columns), Product(kernel.Depth));
        var (rowBlocks, columnBlocks) = (Blocks(rowSize, BlockRows), Blocks(columnSize, BlockColumns));
        KernelFunction.EmitExtent(e, math, kernel, symbols, IndexMath.Mul(IndexMath.Mul(outerSize, rowBlocks), columnBlocks));

        var f = KernelFunction.Start(e, math, kernel, symbols);
        var x = f.Expressions;
        var (m, n, k) = (x.Emit(rowSize), x.Emit(columnSize), x.Emit(depthSize));
        var (mBlocks, nBlocks) = (x.Emit(rowBlocks), x.Emit(columnBlocks));
        var depthBlocks = e.SDiv(e.Add(k, e.Int(BlockDepth - 1)), e.Int(BlockDepth));
        var packedA = f.Scratch;
        var packedB = e.Gep(e.F32, packedA, e.Int((long)BlockRows * BlockDepth));
        var tile = e.Gep(e.F32, packedB, e.Int((long)BlockDepth * BlockColumns));
        var output = x.Address(kernel.Output, [.. kernel.Output.Shape.Select(_ => (Expr)IndexMath.Const(0))]);

        // Flat row, column and depth positions are split back into the loop variables the operand
        // expressions use.
        var (flatOuter, flatRow, flatColumn, flatDepth) = (new LoopVar(-1), new LoopVar(-2), new LoopVar(-3), new LoopVar(-4));
        void BindGroup(IReadOnlyList<Loop> loops, LoopVar flat, LLVMValueRef value)
        {
            x.Bind(flat, value);
            var parts = IndexMath.Delinearize(flat, [.. loops.Select(l => l.Extent)]);
            for (var i = 0; i < loops.Count; i++)
            {
                x.Bind(loops[i].Var, x.Emit(parts[i]));
            }
        }

        e.For(f.Begin, f.End, task =>
        {
            var columnBlock = e.SRem(task, nBlocks);
            var rest = e.SDiv(task, nBlocks);
            var rowBlock = e.SRem(rest, mBlocks);
            var outerIndex = e.SDiv(rest, mBlocks);
            BindGroup(kernel.Outer, flatOuter, outerIndex);
            var m0 = e.Mul(rowBlock, e.Int(BlockRows));
            var n0 = e.Mul(columnBlock, e.Int(BlockColumns));
            var mLength = e.SMin(e.Int(BlockRows), e.Sub(m, m0));
            var nLength = e.SMin(e.Int(BlockColumns), e.Sub(n, n0));
            var rowPanels = e.SDiv(e.Add(mLength, e.Int(TileRows - 1)), e.Int(TileRows));
            var columnPanels = e.SDiv(e.Add(nLength, e.Int(TileColumns - 1)), e.Int(TileColumns));
            var outputBlock = e.Add(e.Mul(e.Add(e.Mul(outerIndex, m), m0), n), n0);

            e.For(e.Int(0), depthBlocks, depthBlock =>
            {
                var k0 = e.Mul(depthBlock, e.Int(BlockDepth));
                var kLength = e.SMin(e.Int(BlockDepth), e.Sub(k, k0));

                // Pack A: element (i, kk) of the block goes to panel i / MR, row i % MR, column kk.
                e.For(e.Int(0), e.Mul(rowPanels, e.Int(TileRows)), i =>
                {
                    BindGroup(kernel.Rows, flatRow, e.SMin(e.Add(m0, i), e.Sub(m, e.Int(1))));
                    var panel = e.Gep(e.F32, packedA, e.Mul(e.SDiv(i, e.Int(TileRows)), e.Mul(kLength, e.Int(TileRows))));
                    var valid = e.ICmp(LLVMIntPredicate.LLVMIntSLT, i, mLength);
                    var lane = e.SRem(i, e.Int(TileRows));
                    e.For(e.Int(0), kLength, kk =>
                    {
                        BindGroup(kernel.Depth, flatDepth, e.Add(k0, kk));
                        var value = e.Select(valid, x.Emit(kernel.A), e.Float(0));
                        e.Store(value, e.Gep(e.F32, panel, e.Add(e.Mul(kk, e.Int(TileRows)), lane)));
                    });
                });

                // Pack B: element (kk, j) goes to panel j / NR, row kk, column j % NR.
                e.For(e.Int(0), kLength, kk =>
                {
                    BindGroup(kernel.Depth, flatDepth, e.Add(k0, kk));
                    e.For(e.Int(0), e.Mul(columnPanels, e.Int(TileColumns)), j =>
                    {
                        BindGroup(kernel.Columns, flatColumn, e.SMin(e.Add(n0, j), e.Sub(n, e.Int(1))));
                        var valid = e.ICmp(LLVMIntPredicate.LLVMIntSLT, j, nLength);
                        var value = e.Select(valid, x.Emit(kernel.B), e.Float(0));
                        var panel = e.Mul(e.SDiv(j, e.Int(TileColumns)), e.Mul(kLength, e.Int(TileColumns)));
                        e.Store(value, e.Gep(e.F32, packedB, e.Add(panel, e.Add(e.Mul(kk, e.Int(TileColumns)), e.SRem(j, e.Int(TileColumns))))));
                    });
                });

                e.For(e.Int(0), columnPanels, columnPanel =>
                {
                    var bPanel = e.Gep(e.F32, packedB, e.Mul(columnPanel, e.Mul(kLength, e.Int(TileColumns))));
                    e.For(e.Int(0), rowPanels, rowPanel =>
                    {
                        var aPanel = e.Gep(e.F32, packedA, e.Mul(rowPanel, e.Mul(kLength, e.Int(TileRows))));
                        MicroKernel(e, aPanel, bPanel, kLength, tile);
                        var rows = e.SMin(e.Int(TileRows), e.Sub(mLength, e.Mul(rowPanel, e.Int(TileRows))));
                        var columns = e.SMin(e.Int(TileColumns), e.Sub(nLength, e.Mul(columnPanel, e.Int(TileColumns))));
                        var first = e.ICmp(LLVMIntPredicate.LLVMIntEQ, depthBlock, e.Int(0));
                        e.For(e.Int(0), rows, r =>
                        {
                            var row = e.Add(e.Mul(rowPanel, e.Int(TileRows)), r);
                            var rowStart = e.Add(outputBlock, e.Add(e.Mul(row, n), e.Mul(columnPanel, e.Int(TileColumns))));
                            e.For(e.Int(0), columns, c =>
                            {
                                var sum = e.Load(e.F32, e.Gep(e.F32, tile, e.Add(e.Mul(r, e.Int(TileColumns)), c)));
                                var target = e.Gep(e.F32, output, e.Add(rowStart, c));
                                e.Store(e.Select(first, sum, e.FAdd(e.Load(e.F32, target), sum)), target);
                            });
                        });
                    });
                });
            });

            if (kernel.Epilogue is not Accumulator)
            {
                e.For(e.Int(0), mLength, i =>
                {
                    BindGroup(kernel.Rows, flatRow, e.Add(m0, i));
                    e.For(e.Int(0), nLength, j =>
                    {
                        BindGroup(kernel.Columns, flatColumn, e.Add(n0, j));
                        var target = e.Gep(e.F32, output, e.Add(outputBlock, e.Add(e.Mul(i, n), j)));
                        x.AccumulatorValue = e.Load(e.F32, target);
                        e.Store(x.Emit(kernel.Epilogue), target);
                    });
                });
            }
        });
        f.Finish();
    }

    // tile[r][c] = Σ_kk aPanel[kk][r] · bPanel[kk][c], with the MR × NR sums in 2·MR vectors.
    private static void MicroKernel(LlvmEmitter e, LLVMValueRef aPanel, LLVMValueRef bPanel, LLVMValueRef depth, LLVMValueRef tile)
    {
        var vector = e.Vector(e.F32, Lanes);
        var zero = LLVM.ConstNull(vector);
        var sums = e.For(e.Int(0), depth, [.. Enumerable.Repeat(zero, 2 * TileRows)], (kk, acc) =>
        {
            var bRow = e.Gep(e.F32, bPanel, e.Mul(kk, e.Int(TileColumns)));
            var b0 = e.Load(vector, bRow, 32);
            var b1 = e.Load(vector, e.Gep(e.F32, bRow, e.Int(Lanes)), 32);
            var aColumn = e.Gep(e.F32, aPanel, e.Mul(kk, e.Int(TileRows)));
            var next = new LLVMValueRef[2 * TileRows];
            for (var r = 0; r < TileRows; r++)
            {
                var a = e.Splat(e.Load(e.F32, e.Gep(e.F32, aColumn, e.Int(r))), Lanes);
                next[2 * r] = e.CallIntrinsic("llvm.fma.v8f32", vector, a, b0, acc[2 * r]);
                next[2 * r + 1] = e.CallIntrinsic("llvm.fma.v8f32", vector, a, b1, acc[2 * r + 1]);
            }
            return next;
        });
        for (var r = 0; r < TileRows; r++)
        {
            e.Store(sums[2 * r], e.Gep(e.F32, tile, e.Int(r * TileColumns)), 32);
            e.Store(sums[2 * r + 1], e.Gep(e.F32, tile, e.Int(r * TileColumns + Lanes)), 32);
        }
    }
}
