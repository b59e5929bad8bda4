using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes;

/// <summary>
/// Orders a contraction's output labels so that the backend computes it as one batched GEMM of
/// full size: the labels both operands carry (the batch) first, then those only one operand
/// carries (the GEMM's rows), then those only the other carries (its columns); a permute puts
/// the result back in the order the graph asked for. The backend maps an output onto
/// <c>outer… rows… columns…</c> without moving it (the columns: the longest suffix of labels of
/// the operand owning the last one), so an order that interleaves the two operands' labels — a
/// transform along an axis that is not the last, as the DFT over H in a 2-D Fourier transform,
/// or a per-mode channel mix with the modes after the channels — made it iterate many tiny GEMMs
/// (12×2 per (b, c, k) in an FNO layer, each packing its operands anew) instead of one large one.
/// <para>
/// Only a contraction whose GEMM would have fewer than <see cref="MinColumns"/> columns (less
/// than one vector) and whose outer loop runs at least <see cref="MinColumns"/> times over
/// fixed-size labels of one operand (labels that belong to the rows or columns) is reordered. A
/// convolution per batch element (outer batch, channel rows, position columns) keeps its order,
/// its epilogue (the bias add) and its consumers' contiguous reads, even on a tiny grid: its outer
/// loop is the symbolic batch, a few GEMMs, which the permute and the lost epilogue would not repay.
/// The sums are the same (each output element sums the same products in the same depth order),
/// so the values are bit-identical; only where they are stored changes.
/// </para>
/// </summary>
public sealed class GemmShapedContractions : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "gemm-layout";

    /// <inheritdoc/>
    public Graph Run(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return GraphRewriter.Rewrite(graph, Rewrite);
    }

    /// <summary>The fewest GEMM columns (output elements along the vectorised axis) left alone, one 512-bit vector of float32; also the fewest outer iterations over one operand's fixed labels that are reordered.</summary>
    public const int MinColumns = 16;

    private static Node? Rewrite(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs, TensorType type)
    {
        if (op is not ContractOp contract || GemmOrder(contract) is not { } order || !IsManySmallGemms(contract, type.Shape))
        {
            return null;
        }
        var ordered = rewriter.Emit(new ContractOp(contract.Left, contract.Right, order), inputs[0], inputs[1]);
        return rewriter.Emit(new PermuteOp([.. contract.Output.Select(order.IndexOf)]), ordered);
    }

    // Whether the backend, given the output as it stands, runs a GEMM of fewer than MinColumns
    // columns (the longest suffix of labels only in the operand that owns the last label; a
    // symbolic size counts as many) at least MinColumns times over fixed labels of one operand.
    private static bool IsManySmallGemms(ContractOp contract, Shape output)
    {
        var labels = contract.Output;
        if (labels.IsEmpty)
        {
            return false;
        }
        var last = labels[^1];
        var (b, a) = contract.Left.Contains(last) && !contract.Right.Contains(last)
            ? (contract.Left, contract.Right)
            : (contract.Right, contract.Left);
        var start = labels.Length;
        long columns = 1;
        for (; start > 0 && b.Contains(labels[start - 1]) && !a.Contains(labels[start - 1]); start--)
        {
            if (!output[start - 1].IsFixed)
            {
                return false;
            }
            columns *= output[start - 1].FixedSize;
        }
        while (start > 0 && a.Contains(labels[start - 1]) && !b.Contains(labels[start - 1]))
        {
            start--;
        }
        var outer = Enumerable.Range(0, start)
            .Where(i => output[i].IsFixed && !(a.Contains(labels[i]) && b.Contains(labels[i])))
            .Aggregate(1L, (product, i) => product * output[i].FixedSize);
        return columns < MinColumns && outer >= MinColumns;
    }

    /// <summary>
    /// The output order batch… rows… columns… of <paramref name="contract"/>, each group in the
    /// output's order, with the operand that owns the last output label kept as the columns; or
    /// null when the output is already in such an order.
    /// </summary>
    internal static ImmutableArray<int>? GemmOrder(ContractOp contract)
    {
        var output = contract.Output;
        var batch = output.Where(l => contract.Left.Contains(l) && contract.Right.Contains(l)).ToImmutableArray();
        var leftOnly = output.Where(l => !contract.Right.Contains(l)).ToImmutableArray();
        var rightOnly = output.Where(l => !contract.Left.Contains(l)).ToImmutableArray();
        var rightAsColumns = output.IsEmpty || !leftOnly.Contains(output[^1]);
        ImmutableArray<int> order = rightAsColumns ? [.. batch, .. leftOnly, .. rightOnly] : [.. batch, .. rightOnly, .. leftOnly];
        return output.SequenceEqual(order) ? null : order;
    }
}
