using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes;

/// <summary>
/// Rewrites a stride-1 fold of a contraction — a convolution's data gradient (the adjoint of
/// its unfold) and a stride-1 transposed convolution, <c>fold(x · W)</c> — as one convolution:
/// the contraction of the zero-padded, unfolded <c>x</c> with the tap-reversed <c>W</c>,
/// <c>out[Y] = Σ_i cols[i, Y − i·d] = Σ_i x̃[Y + (k−1−i)·d] · W[i]</c>. The column tensor
/// (<c>k²</c> times the output) and the scalar fold kernel that summed it both disappear; what is
/// left is a contraction over a window view, which the backend tiles like a GEMM.
/// <para>
/// Unlike <see cref="AlgebraicSimplification"/>, this reassociates a sum: the fold added its
/// taps to sums over channels, the convolution sums channels and taps in one contraction (and
/// adds exact zeros from the padding). The result is the same to rounding; the thread count
/// still does not change the bits. Strided folds are left alone: their phases would interleave
/// through views that every consumer reads with a division per element.
/// </para>
/// <para>
/// The pass then computes a permute of a convolution's output in the contraction itself
/// (<see cref="PermuteIntoConvolution"/>; exact), so einspace's convolutions store
/// <c>(B, C, H, W)</c> directly instead of transposing <c>(B, H, W, C)</c>.
/// </para>
/// </summary>
public sealed class FoldAsConvolution : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "fold-conv";

    /// <inheritdoc/>
    public Graph Run(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return PermuteIntoConvolution.Run(GraphRewriter.Rewrite(graph, (rewriter, op, inputs, _) => Rewrite(rewriter, op, inputs)));
    }

    private static Node? Rewrite(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs)
    {
        if (op is not FoldOp { Window: { StrideH: 1, StrideW: 1 } window } fold || inputs[0] is not { Op: ContractOp contract } columns)
        {
            return null;
        }
        var output = contract.Output;
        var n = output.Length;
        var (tapH, tapW, rowH, rowW) = (output[n - 4], output[n - 3], output[n - 2], output[n - 1]);
        for (var side = 0; side < 2; side++)
        {
            var (data, weights) = side == 0 ? (contract.Left, contract.Right) : (contract.Right, contract.Left);
            if (!data.Contains(rowH) || !data.Contains(rowW) || data.Contains(tapH) || data.Contains(tapW)
                || !weights.Contains(tapH) || !weights.Contains(tapW) || weights.Contains(rowH) || weights.Contains(rowW))
            {
                continue;
            }
            var positions = columns.Type.Shape;
            var (windows, windowLabels) = Windows(rewriter, columns.Inputs[side], data, [tapH, tapW, rowH, rowW], window,
                fold.Height - positions[n - 2].FixedSize, fold.Width - positions[n - 1].FixedSize);
            var taps = rewriter.Emit(new ReverseOp([weights.IndexOf(tapH), weights.IndexOf(tapW)]), columns.Inputs[1 - side]);
            ImmutableArray<int> result = [.. output.Take(n - 4), rowH, rowW];
            return side == 0
                ? rewriter.Emit(new ContractOp(windowLabels, weights, result), windows, taps)
                : rewriter.Emit(new ContractOp(weights, windowLabels, result), taps, windows);
        }
        return null;
    }

    // The data with its two grid axes last, zero-padded by the window's reach before and by
    // `extraH`/`extraW` after (the grid's growth), then unfolded: labels (others…, tapH, tapW,
    // rowH, rowW), the grid axes now the fold's output grid.
    private static (Node Node, ImmutableArray<int> Labels) Windows(GraphRewriter rewriter, Node data, ImmutableArray<int> labels,
        ImmutableArray<int> fold, Window2d window, int extraH, int extraW)
    {
        var (rowH, rowW) = (fold[2], fold[3]);
        var order = Enumerable.Range(0, labels.Length).Where(a => labels[a] != rowH && labels[a] != rowW)
            .Append(labels.IndexOf(rowH)).Append(labels.IndexOf(rowW)).ToImmutableArray();
        var node = order.SequenceEqual(Enumerable.Range(0, labels.Length)) ? data : rewriter.Emit(new PermuteOp(order), data);
        var rank = labels.Length;
        var (reachH, reachW) = ((window.KernelH - 1) * window.DilationH, (window.KernelW - 1) * window.DilationW);
        node = rewriter.Emit(new PadOp([new AxisPadding(rank - 2, reachH, extraH), new AxisPadding(rank - 1, reachW, extraW)], 0), node);
        node = rewriter.Emit(new UnfoldOp(window), node);
        return (node, [.. order.Take(rank - 2).Select(a => labels[a]), .. fold]);
    }
}
