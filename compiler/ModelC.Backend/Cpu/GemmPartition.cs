using ModelC.Backend.Kernels;
using static ModelC.Backend.Kernels.IndexMath;

namespace ModelC.Backend.Cpu;

/// <summary>
/// How a GEMM's work is cut into the tasks of its parallel loop, as index expressions over the
/// kernel's sizes: they fold to constants for a static shape and are evaluated once per call
/// when the batch is symbolic. Task t is (outer index, column block, row block), row block
/// fastest, so a thread's contiguous range of tasks runs whole groups of row blocks that share
/// one packed B. Blocks are balanced: row block b of R holds tile rows [b·P/R, (b+1)·P/R) of the
/// P tile rows, so row blocks differ by at most one tile, and column block c of C holds vectors
/// [c·V/C, (c+1)·V/C) of the V vectors of columns, so widths differ by at most one vector, not
/// one tile. Two threads each take one contiguous half of the tasks, often whole column blocks,
/// so a block one tile wider than another would load one thread with that much more work, and an
/// odd task count gets one more row block when the rows allow it (4096 rows in 37 blocks split
/// 19/18; in 38 they split in the middle). A row or column block's last, narrower tile costs far
/// less. When there are fewer tasks than the tiling asks for, rows
/// are split first (cheap: the row blocks of a thread share packed B), then columns, into at most
/// one block per <see cref="SplitPanelsPerBlock"/> tile columns (rounded up, so 5–7 tile columns
/// make two blocks of 2–4): each column block packs A again, which only pays against enough
/// columns of arithmetic. A single product (no outer index) with more columns than rows is cut
/// into two column blocks at least, under the same bound, so that two threads pack one half of B
/// each rather than all of it twice (B, depth × columns, is then the larger operand: a batch-128
/// layer's weight), at the cost of packing the smaller A twice. A batched product (attention's,
/// a grouped convolution's) is not: its outer index already gives every thread work and its own
/// B. The partition cannot see the thread count (a kernel runs at any), so one thread packs A
/// twice for such a single product too. An iteration of the parallel loop runs consecutive
/// tasks that hold at least <see cref="IterationWork"/> multiply-adds where the product has that
/// much (<see cref="TasksPerIteration"/>), so that a tiny product (a classifier's logits, their
/// gradients) is one iteration, which the calling thread runs without waking the others. An
/// iteration runs its tasks exactly as a thread runs a contiguous range of them, each output
/// element summed over k by one task in the same order, so this changes no bits.
/// </summary>
internal sealed record GemmPartition(
    Expr Outer,
    Expr Rows,
    Expr Columns,
    Expr Depth,
    Expr RowBlocks,
    Expr RowPanels,
    Expr ColumnBlocks,
    Expr ColumnVectors,
    Expr DepthBlocks,
    Expr DepthPerBlock)
{
    /// <summary>Tile columns per column block split off for parallelism: a product of P tile columns is cut into at most ⌈P / 4⌉ blocks.</summary>
    public const int SplitPanelsPerBlock = 4;

    /// <summary>The least work, in multiply-adds, the parallel loop splits off into an iteration of its own: a few tens of microseconds of one thread, more than waking and waiting for another costs.</summary>
    public const long IterationWork = 1L << 20;

    /// <summary>The partition's tasks: outer × column blocks × row blocks.</summary>
    public Expr Tasks => Mul(Mul(Outer, ColumnBlocks), RowBlocks);

    /// <summary>Consecutive tasks per iteration of the parallel loop (at least 1): as many as make each hold <see cref="IterationWork"/> multiply-adds.</summary>
    public Expr TasksPerIteration
    {
        get
        {
            var iterations = Max(Const(1), Div(Mul(Mul(Outer, Rows), Mul(Columns, Depth)), Const(IterationWork)));
            return Max(Const(1), Ceiling(Tasks, iterations));
        }
    }

    /// <summary>The parallel loop's extent: the tasks in runs of <see cref="TasksPerIteration"/>, the last maybe shorter.</summary>
    public Expr Iterations => Ceiling(Tasks, TasksPerIteration);

    public static GemmPartition Of(GemmKernel kernel)
    {
        var t = kernel.Tiling;
        var (outer, m, n, k) = (Product(kernel.Outer), Product(kernel.Rows), Product(kernel.Columns), Product(kernel.Depth));
        var rowPanels = Ceiling(m, Const(t.TileRows));
        var columnPanels = Ceiling(n, Const(t.TileColumns));
        // 1 when a single product (outer = 1, as outer ≥ 1) has more columns than rows, else 0.
        var wideSingleProduct = Min(Div(Const(1), outer), Div(n, Add(m, Const(1))));
        var columnBlocks = Max(
            Ceiling(columnPanels, Const(t.BlockColumns / t.TileColumns)),
            Min(Ceiling(columnPanels, Const(SplitPanelsPerBlock)), Add(Const(1), wideSingleProduct)));
        var rowBlocks = Max(
            Ceiling(rowPanels, Const(t.BlockRows / t.TileRows)),
            Min(rowPanels, Ceiling(Const(t.Tasks), AtLeastOne(Mul(outer, columnBlocks)))));
        columnBlocks = Max(columnBlocks, Min(Ceiling(columnPanels, Const(SplitPanelsPerBlock)), Ceiling(Const(t.Tasks), AtLeastOne(Mul(outer, rowBlocks)))));
        rowBlocks = Min(Add(rowBlocks, Rem(Mul(Mul(outer, columnBlocks), rowBlocks), Const(2))), rowPanels);
        var depthBlocks = AtLeastOne(Ceiling(k, Const(t.BlockDepth)));
        return new GemmPartition(
            outer, m, n, k,
            rowBlocks, rowPanels,
            columnBlocks, Ceiling(n, Const(t.Lanes)),
            depthBlocks, Ceiling(k, depthBlocks));
    }

    private static Expr Product(IEnumerable<Loop> loops) => loops.Aggregate((Expr)Const(1), (p, l) => Mul(p, l.Extent));

    // ⌈a / b⌉ for a ≥ 0, b ≥ 1.
    private static Expr Ceiling(Expr a, Expr b) => Div(Add(a, Sub(b, Const(1))), b);

    private static Expr AtLeastOne(Expr a) => Max(a, Const(1));
}
