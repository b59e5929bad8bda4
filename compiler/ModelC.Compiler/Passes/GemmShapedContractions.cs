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
/// Only a contraction whose GEMM would have fewer than <see cref="MinColumns"/> columns is
/// reordered: there the GEMM cannot fill one vector and its outer loop runs over labels that
/// belong to the rows or columns. A convolution per batch element (outer batch, channel rows,
/// position columns) keeps its order, its epilogue (the bias add) and its consumers' contiguous reads.
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

    /// <summary>The fewest GEMM columns (output elements along the vectorised axis) left alone: one 512-bit vector of float32.</summary>
    public const int MinColumns = 16;

    private static Node? Rewrite(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs, TensorType type)
    {
        if (op is not ContractOp contract || GemmOrder(contract) is not { } order || !HasFewColumns(contract, type.Shape))
        {
            return null;
        }
        var ordered = rewriter.Emit(new ContractOp(contract.Left, contract.Right, order), inputs[0], inputs[1]);
        return rewriter.Emit(new PermuteOp([.. contract.Output.Select(order.IndexOf)]), ordered);
    }

    // Whether the backend's GEMM for the output as it stands has fewer than MinColumns columns:
    // the longest suffix of labels only in the operand that owns the last label (a symbolic size
    // counts as many).
    private static bool HasFewColumns(ContractOp contract, Shape output)
    {
        var labels = contract.Output;
        if (labels.IsEmpty)
        {
            return false;
        }
        var last = labels[^1];
        var (columns, rows) = contract.Left.Contains(last) && !contract.Right.Contains(last)
            ? (contract.Left, contract.Right)
            : (contract.Right, contract.Left);
        long extent = 1;
        for (var i = labels.Length - 1; i >= 0 && columns.Contains(labels[i]) && !rows.Contains(labels[i]); i--)
        {
            if (!output[i].IsFixed)
            {
                return false;
            }
            extent *= output[i].FixedSize;
        }
        return extent < MinColumns;
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
