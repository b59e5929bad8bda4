using ModelC.Backend.Kernels;
using static ModelC.Backend.Kernels.IndexMath;

namespace ModelC.Backend.Cpu;

/// <summary>
/// How a GEMM's work is cut into the tasks of its parallel loop, as index expressions over the
/// kernel's sizes: they fold to constants for a static shape and are evaluated once per call
/// when the batch is symbolic. Task t is (outer index, column block, row block), row block
/// fastest, so a thread's contiguous range of tasks runs whole groups of row blocks that share
/// one packed B. Blocks are balanced: every row block but the last has the same number of tile
/// rows, and the column blocks have the same width in whole vectors, not whole tiles. A thread's
/// contiguous range of tasks is often whole column blocks (two column blocks on two threads), so
/// a block one tile wider than the other would load one thread with that much more work; a
/// block's last, narrower tile costs far less. When there are fewer tasks than the tiling asks for, rows
/// are split first (cheap: the row blocks of a thread share packed B), then columns, but never
/// into blocks narrower than <see cref="MinimumSplitPanels"/> tiles: each column block packs A
/// again, which only pays against enough columns of arithmetic.
/// </summary>
internal sealed record GemmPartition(
    Expr Outer,
    Expr Rows,
    Expr Columns,
    Expr Depth,
    Expr RowBlocks,
    Expr RowsPerBlock,
    Expr ColumnBlocks,
    Expr ColumnsPerBlock,
    Expr DepthBlocks,
    Expr DepthPerBlock)
{
    /// <summary>The fewest tile columns a column block split off for parallelism keeps.</summary>
    public const int MinimumSplitPanels = 4;

    /// <summary>The parallel loop's extent: outer × column blocks × row blocks.</summary>
    public Expr Tasks => Mul(Mul(Outer, ColumnBlocks), RowBlocks);

    public static GemmPartition Of(GemmKernel kernel)
    {
        var t = kernel.Tiling;
        var (outer, m, n, k) = (Product(kernel.Outer), Product(kernel.Rows), Product(kernel.Columns), Product(kernel.Depth));
        var rowPanels = Ceiling(m, Const(t.TileRows));
        var columnPanels = Ceiling(n, Const(t.TileColumns));
        var columnBlocks = Ceiling(columnPanels, Const(t.BlockColumns / t.TileColumns));
        var rowBlocks = Max(
            Ceiling(rowPanels, Const(t.BlockRows / t.TileRows)),
            Min(rowPanels, Ceiling(Const(t.Tasks), AtLeastOne(Mul(outer, columnBlocks)))));
        var panelsPerRowBlock = Ceiling(rowPanels, AtLeastOne(rowBlocks));
        rowBlocks = Ceiling(rowPanels, AtLeastOne(panelsPerRowBlock));
        columnBlocks = Max(columnBlocks, Min(Ceiling(columnPanels, Const(MinimumSplitPanels)), Ceiling(Const(t.Tasks), AtLeastOne(Mul(outer, rowBlocks)))));
        var vectorsPerColumnBlock = Ceiling(Ceiling(n, Const(t.Lanes)), AtLeastOne(columnBlocks));
        var columnsPerBlock = Mul(vectorsPerColumnBlock, Const(t.Lanes));
        columnBlocks = Ceiling(n, AtLeastOne(columnsPerBlock));
        var depthBlocks = AtLeastOne(Ceiling(k, Const(t.BlockDepth)));
        return new GemmPartition(
            outer, m, n, k,
            rowBlocks, Mul(panelsPerRowBlock, Const(t.TileRows)),
            columnBlocks, columnsPerBlock,
            depthBlocks, Ceiling(k, depthBlocks));
    }

    private static Expr Product(IEnumerable<Loop> loops) => loops.Aggregate((Expr)Const(1), (p, l) => Mul(p, l.Extent));

    // ⌈a / b⌉ for a ≥ 0, b ≥ 1.
    private static Expr Ceiling(Expr a, Expr b) => Div(Add(a, Sub(b, Const(1))), b);

    private static Expr AtLeastOne(Expr a) => Max(a, Const(1));
}
