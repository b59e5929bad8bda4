using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Cuts a GEMM's depth into a fixed number of chunks (<see cref="GemmTilingModel.DepthSplit"/>):
/// depth loop v of extent E becomes v = c·(E / chunks) + v′, and the chunk c a new outermost
/// loop of the product, which then writes one partial product per chunk into a scratch buffer
/// [chunks, outputs…]; a map kernel sums the partials in chunk order and applies the epilogue.
/// The chunks are tasks of their own, so a product of few outputs over a long depth (a
/// convolution's weight gradient) gives every thread work. Each partial sums its part of the
/// depth in the order it had, but the chunks' sums are then added, so results change in the last
/// bits against the whole product; they never depend on the thread count.
/// </summary>
internal static class GemmDepthSplitting
{
    /// <summary>
    /// The loop <paramref name="groups"/> (outer, rows, columns, depth) and operands
    /// (<paramref name="operands"/>: A, B) with depth loop <paramref name="loop"/>, of fixed
    /// extent, cut into <paramref name="chunks"/>: the chunk loop first in the outer group;
    /// new loop variables come from <paramref name="newVar"/>.
    /// </summary>
    public static (ImmutableArray<Loop>[] Groups, Expr[] Operands) Apply(
        ImmutableArray<Loop>[] groups, Expr[] operands, int loop, int chunks, Func<LoopVar> newVar)
    {
        var split = groups[3][loop];
        var extent = ((IndexConst)split.Extent).Value;
        var (chunk, within) = (newVar(), newVar());
        var replacement = IndexMath.Add(IndexMath.Mul(chunk, IndexMath.Const(extent / chunks)), within);
        ImmutableArray<Loop>[] result =
        [
            groups[0].Insert(0, new Loop(chunk, IndexMath.Const(chunks))),
            groups[1],
            groups[2],
            groups[3].SetItem(loop, new Loop(within, IndexMath.Const(extent / chunks))),
        ];
        return (result, [.. operands.Select(e => GemmLoopSplitting.Rewrite(e, x => x == split.Var ? replacement : null))]);
    }

    /// <summary>
    /// The map kernel that writes <paramref name="output"/> from the partial products in
    /// <paramref name="partials"/> ([chunks, outputs…]): over <paramref name="loops"/> (the
    /// product's outer, row and column loops, one per output dimension), the
    /// <paramref name="epilogue"/> of the partials' sum in chunk order.
    /// </summary>
    public static MapKernel Sum(
        string symbol, KernelBuffer output, string description, ImmutableArray<Loop> loops, Expr epilogue, KernelBuffer partials, LoopVar chunk)
    {
        var chunks = partials.Shape[0].FixedSize;
        var sum = new Reduce(ReduceKind.Sum, [chunk], [IndexMath.Const(chunks)], new Load(partials, [chunk, .. loops.Select(l => (Expr)l.Var)]));
        return new MapKernel(symbol, output, description, loops, GemmLoopSplitting.Rewrite(epilogue, e => e is Accumulator ? sum : null));
    }
}
