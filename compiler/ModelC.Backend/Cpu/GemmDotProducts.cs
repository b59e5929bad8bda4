using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// A GEMM of few rows whose A rows and B columns are both contiguous along k (a linear layer at
/// a small batch: <c>x[m, k] · W[n, k]ᵀ</c>), computed as dot products instead of packed tiles:
/// packing would transpose all of B to use each element only a few times. So is one of few
/// columns, whatever its rows (a matrix-vector product such as DeepONet's branch · trunk): a tile
/// one vector wide would fill one lane of its sums in sixteen. Each output is
/// <c>Σ_k a[m, k] · b[n, k]</c> summed in two vectors of lanes across k (the last step masked;
/// no such step when k is whole steps), then the two added and their lanes summed pairwise — the
/// same order for every output, however many rows the product has. Groups of rows and columns
/// share their loads (each A vector serves the group's columns, each B vector its rows). The
/// columns go in chunks of about <see cref="ChunkFloats"/> B elements, read from memory once and
/// kept in L2 while each row group passes over the chunk, its A rows staying in L1: were the
/// columns outermost, all the rows of A (32 KiB at 8 × 1024) would stream from L2 for every
/// column group, and the L2-to-L1 bandwidth, not the FMAs, would bound the product. A task is (outer index, column block, row block), as the
/// partition cuts the product; every element's sum is one thread's, in an order that depends on
/// nothing but k, so 1 and 2 threads give the same bits. The epilogue runs over the task's block
/// afterwards.
/// </summary>
internal sealed class GemmDotProducts
{
    /// <summary>The most rows the dot products take (more run packed tiles, which reuse B from cache across row blocks).</summary>
    public const int MaxRows = 8;

    /// <summary>The most columns (statically known) for which the dot products take any number of rows.</summary>
    public const int MaxColumns = 2;

    // A lone row shares each A load between this many columns.
    private const int ColumnsPerRow = 4;

    // The B elements of a chunk of columns (256 KiB): a quarter of Zen 4's L2, leaving room for
    // A and the outputs. Chunks are whole multiples of ChunkColumns columns, which every group
    // width divides, so only the last chunk has columns left over from the groups.
    private const int ChunkFloats = 64 * 1024;
    private const int ChunkColumns = 12;

    private readonly LlvmEmitter _e;
    private readonly ExprEmitter _x;
    private readonly GemmLoops _loops;
    private readonly GemmKernel _kernel;
    private readonly Load _a;
    private readonly Load _b;
    private readonly LLVMValueRef _columnStride;
    private readonly LLVMValueRef? _rowStride;
    private readonly int _lanes;

    private GemmDotProducts(LlvmEmitter e, ExprEmitter x, GemmLoops loops, GemmKernel kernel, Load a, Load b, LLVMValueRef columnStride, LLVMValueRef? rowStride)
    {
        (_e, _x, _loops, _kernel, _a, _b, _columnStride, _rowStride) = (e, x, loops, kernel, a, b, columnStride, rowStride);
        _lanes = kernel.Tiling.Lanes;
    }

    /// <summary>
    /// The most rows this kernel's dot products take, unless <see cref="TakesAnyRows"/>:
    /// <see cref="MaxRows"/> when A's rows are one loop a fixed stride apart, else one.
    /// </summary>
    public int RowLimit { get; private init; }

    /// <summary>Whether the dot products take any number of rows: A's rows are one loop a fixed stride apart and the columns few (statically at most <see cref="MaxColumns"/>).</summary>
    public bool TakesAnyRows { get; private init; }

    /// <summary>
    /// The dot-product path for <paramref name="kernel"/> when its shape allows few rows (its rows
    /// are not statically more than <see cref="MaxRows"/>, nor more than one unless they are one
    /// loop a fixed stride apart in A; no bound on rows a fixed stride apart when the columns are
    /// statically at most <see cref="MaxColumns"/>) and A and B are plain float loads contiguous
    /// along its depth (one loop, or a group that walks memory as one), B's columns a fixed stride
    /// apart (emitted here); null otherwise.
    /// </summary>
    public static GemmDotProducts? For(LlvmEmitter e, ExprEmitter x, GemmLoops loops, GemmKernel kernel, Expr rows, Expr columns, IReadOnlyList<string> symbols)
    {
        if (Operands(kernel, symbols) is not var (a, b, stride))
        {
            return null;
        }
        var rowStride = kernel.Rows.Length == 1 && GemmOperandAccess.Stride(a, kernel.Rows[0].Var, symbols) is { } s ? s : null;
        var anyRows = rowStride is not null && columns is IndexConst { Value: <= MaxColumns };
        var limit = rowStride is null ? 1 : MaxRows;
        return rows is IndexConst { Value: var count } && count > limit && !anyRows
            ? null
            : new GemmDotProducts(e, x, loops, kernel, a, b, x.Emit(stride), rowStride is null ? null : x.Emit(rowStride)) { RowLimit = limit, TakesAnyRows = anyRows };
    }

    /// <summary>
    /// A and B when both are plain float loads contiguous along the depth, with B's stride along
    /// its single column loop; null otherwise. The depth may be a group of loops that walks both
    /// operands' memory as one: a linear layer over a flattened (C, H, W) image, whose depth the
    /// reshape's divisions split into its three loops.
    /// </summary>
    internal static (Load A, Load B, Expr ColumnStride)? Operands(GemmKernel kernel, IReadOnlyList<string> symbols) =>
        kernel.Columns.Length == 1
        && GemmOperandAccess.ContiguousLoad(kernel.A, kernel.Depth, symbols) is { } a
        && GemmOperandAccess.ContiguousLoad(kernel.B, kernel.Depth, symbols) is { } b
        && GemmOperandAccess.Stride(b, kernel.Columns[0].Var, symbols) is { } stride
            ? (a, b, stride)
            : null;

    /// <summary>
    /// Computes rows [<paramref name="m0"/>, m0 + <paramref name="rows"/>) × columns
    /// [<paramref name="n0"/>, n0 + <paramref name="columns"/>) of the outer index the caller
    /// bound, into <paramref name="block"/> (the address of that row's column n0, rows
    /// <paramref name="ldc"/> apart), with <paramref name="depth"/> terms each; then the epilogue over them.
    /// </summary>
    public void Emit(LLVMValueRef block, LLVMValueRef ldc, LLVMValueRef m0, LLVMValueRef rows, LLVMValueRef n0, LLVMValueRef columns, LLVMValueRef depth)
    {
        var e = _e;
        _loops.BindRow(m0);
        _loops.BindDepth(e.Int(0));
        var a = _x.Address(_a.Buffer, _a.Indices);
        _loops.BindColumn(n0);
        var b = _x.Address(_b.Buffer, _b.Indices);
        var tile = new Tile(a, b, block, ldc, depth);
        // Rows in groups whose sums fit the registers with their operands (4 rows × 3 columns:
        // 24 sums of AVX-512's 32 registers; 2 × 2 of 16 otherwise); the rows left over one at a time.
        var (groupRows, groupColumns) = _lanes >= 16 ? (4, 3) : (2, 2);
        var grouped = _rowStride is null ? e.Int(0) : e.Mul(e.UDiv(rows, e.Int(groupRows)), e.Int(groupRows));
        var oneDepth = e.Select(e.ICmp(LLVMIntPredicate.LLVMIntEQ, depth, e.Int(0)), e.Int(1), depth);
        var fitting = e.Mul(e.UDiv(e.UDiv(e.Int(ChunkFloats), oneDepth), e.Int(ChunkColumns)), e.Int(ChunkColumns));
        var chunk = e.Select(e.ICmp(LLVMIntPredicate.LLVMIntULT, fitting, e.Int(ChunkColumns)), e.Int(ChunkColumns), fitting);
        var chunks = e.UDiv(e.Add(columns, e.Sub(chunk, e.Int(1))), chunk);
        e.For(e.Int(0), chunks, index =>
        {
            var first = e.Mul(index, chunk);
            var rest = e.Sub(columns, first);
            var count = e.Select(e.ICmp(LLVMIntPredicate.LLVMIntULT, rest, chunk), rest, chunk);
            Rows(tile, e.Int(0), grouped, groupRows, groupColumns, first, count);
            Rows(tile, grouped, rows, 1, ColumnsPerRow, first, count);
        });
        if (_kernel.Epilogue is not Accumulator)
        {
            GemmKernelEmitter.Epilogue(e, _x, _loops, _kernel, block, ldc, m0, n0, rows, columns);
        }
    }

    // Rows [first, end) (a multiple of height) over columns [column0, column0 + columns), height
    // rows at a time, each over the columns width at a time, then the columns left over one at a
    // time: the row group's A rows stay in L1 while the columns' B passes.
    private void Rows(Tile tile, LLVMValueRef first, LLVMValueRef end, int height, int width, LLVMValueRef column0, LLVMValueRef columns)
    {
        var e = _e;
        var heights = e.UDiv(e.Sub(end, first), e.Int(height));
        var groups = e.UDiv(columns, e.Int(width));
        e.For(e.Int(0), heights, r =>
        {
            var row = e.Add(first, e.Mul(r, e.Int(height)));
            e.For(e.Int(0), groups, group => Products(tile, row, height, e.Add(column0, e.Mul(group, e.Int(width))), width));
            e.For(e.Mul(groups, e.Int(width)), columns, column => Products(tile, row, height, e.Add(column0, column), 1));
        });
    }

    // The operands' addresses at the task's first row and column (depth 0), and where it stores.
    private readonly record struct Tile(LLVMValueRef A, LLVMValueRef B, LLVMValueRef Block, LLVMValueRef Ldc, LLVMValueRef Depth);

    // block[(row + r)·ldc + column + c] = Σ_k a[(row + r)·aStride + k] · b[(column + c)·stride + k]
    // for r below height, c below width (row and column relative to the task's block).
    private void Products(Tile tile, LLVMValueRef row, int height, LLVMValueRef column, int width)
    {
        var e = _e;
        var lanes = _lanes;
        var vector = e.Vector(e.F32, lanes);
        var zero = LLVM.ConstNull(vector);
        var step = 2 * lanes;
        var aRows = Enumerable.Range(0, height)
            .Select(r => _rowStride is { } stride ? e.Gep(e.F32, tile.A, e.Mul(e.Add(row, e.Int(r)), stride)) : tile.A).ToArray();
        var bColumns = Enumerable.Range(0, width).Select(c => e.Gep(e.F32, tile.B, e.Mul(e.Add(column, e.Int(c)), _columnStride))).ToArray();
        int Sum(int r, int c, int half) => 2 * (r * width + c) + half;
        LLVMValueRef[] Accumulate(LLVMValueRef k, LLVMValueRef[] sums, Func<LLVMValueRef, int, LLVMValueRef> load)
        {
            var next = new LLVMValueRef[sums.Length];
            for (var half = 0; half < 2; half++)
            {
                var aVectors = aRows.Select(p => load(e.Gep(e.F32, p, k), half)).ToArray();
                for (var c = 0; c < width; c++)
                {
                    var bVector = load(e.Gep(e.F32, bColumns[c], k), half);
                    for (var r = 0; r < height; r++)
                    {
                        next[Sum(r, c, half)] = e.CallIntrinsic($"llvm.fmuladd.v{lanes}f32", vector, aVectors[r], bVector, sums[Sum(r, c, half)]);
                    }
                }
            }
            return next;
        }
        var whole = e.UDiv(tile.Depth, e.Int(step));
        var sums = e.For(e.Int(0), whole, [.. Enumerable.Repeat(zero, 2 * height * width)], (s, carried) =>
            Accumulate(e.Mul(s, e.Int(step)), carried, (p, half) => e.Load(vector, e.Gep(e.F32, p, e.Int(half * lanes)), sizeof(float))));
        // The last, partial step: lanes past the depth read zero. Skipped when the depth is whole
        // steps, where it would only add zeros (AVX2's masked loads are microcoded on AMD Zen).
        var done = e.Mul(whole, e.Int(step));
        var left = e.Sub(tile.Depth, done);
        var input = sums;
        sums = e.IfElse(e.ICmp(LLVMIntPredicate.LLVMIntNE, left, e.Int(0)),
            () => Accumulate(done, input, (p, half) => e.CallIntrinsic($"llvm.masked.load.v{lanes}f32.p0", vector,
                e.Gep(e.F32, p, e.Int(half * lanes)), e.Int32(sizeof(float)), GemmMicroKernel.LaneMask(e, e.Sub(left, e.Int(half * lanes)), lanes), zero)),
            () => input);
        for (var r = 0; r < height; r++)
        {
            var outputRow = e.Gep(e.F32, tile.Block, e.Mul(e.Add(row, e.Int(r)), tile.Ldc));
            for (var c = 0; c < width; c++)
            {
                var total = LaneSum(e.FAdd(sums[Sum(r, c, 0)], sums[Sum(r, c, 1)]));
                e.Store(total, e.Gep(e.F32, outputRow, e.Add(column, e.Int(c))));
            }
        }
    }

    // The sum of a vector's lanes, halving it pairwise: lane j adds lane j + width at each step.
    private LLVMValueRef LaneSum(LLVMValueRef vector)
    {
        var e = _e;
        for (var width = _lanes / 2; width >= 1; width /= 2)
        {
            var upper = GemmTransposeKernel.ShuffleMask(e, _lanes, j => j < width ? j + width : j);
            vector = e.FAdd(vector, LLVM.BuildShuffleVector(e.Builder, vector, LLVM.GetUndef(LLVM.TypeOf(vector)), upper, ""));
        }
        return e.ExtractLane(vector, 0);
    }
}
