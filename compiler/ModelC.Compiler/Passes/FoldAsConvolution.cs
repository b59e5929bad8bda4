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
/// still does not change the bits.
/// </para>
/// <para>
/// A strided fold without dilation (a stride-<c>s</c> convolution's data gradient, a strided
/// transposed convolution) becomes one convolution too, over its phases: output row
/// <c>s·q + p</c> sums the taps <c>p + s·m</c> at input row <c>q − m</c>, so the taps regroup as
/// <c>(m, p)</c> (zero-padded to <c>⌈k/s⌉·s</c>), one stride-1 contraction with a
/// <c>⌈k/s⌉²</c>-tap window computes every phase as extra output channels, and one copy
/// interleaves the phases into the grid (and crops it). The column tensor and the scalar fold
/// kernel, which found each element's taps with a division, disappear.
/// </para>
/// <para>
/// The fold's input may also be a permute of the contraction (einspace's im2col data gradient
/// computes <c>(B, H, W, C, kh, kw)</c> and transposes it to the fold's <c>(B, C, kh, kw, H, W)</c>):
/// the permute only reorders the contraction's output labels, so both forms match.
/// </para>
/// <para>
/// The pass then computes a permute of a convolution's output in the contraction itself
/// (<see cref="PermuteIntoConvolution"/>; exact), so einspace's convolutions store
/// <c>(B, C, H, W)</c> directly instead of transposing <c>(B, H, W, C)</c>.
/// </para>
/// <para>
/// A crop of a stride-1 convolution's output (a data gradient onto a zero-padded input: the
/// pad's adjoint crops the convolution onto the padded grid) is computed by the convolution
/// over the cropped grid (<see cref="CropIntoConvolution"/>; exact).
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
        return PermuteIntoConvolution.Run(CropIntoConvolution.Run(
            GraphRewriter.Rewrite(graph, (rewriter, op, inputs, _) => Rewrite(rewriter, op, inputs))));
    }

    private static Node? Rewrite(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs)
    {
        if (op is not FoldOp fold || Columns(inputs[0]) is not (ContractOp contract, var operands))
        {
            return null;
        }
        var window = fold.Window;
        var strided = window.StrideH > 1 || window.StrideW > 1;
        if (strided && (window.DilationH > 1 || window.DilationW > 1))
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
            var positions = inputs[0].Type.Shape;
            var (positionsH, positionsW) = (positions[n - 2].FixedSize, positions[n - 1].FixedSize);
            if (inputs[0].Op is PermuteOp && MostlyBorder(fold, positionsH * positionsW))
            {
                return null;
            }
            if (strided)
            {
                return Phases(rewriter, fold, contract, operands[side], operands[1 - side], side, positionsH, positionsW);
            }
            var (reachH, reachW) = ((window.KernelH - 1) * window.DilationH, (window.KernelW - 1) * window.DilationW);
            var (windows, windowLabels) = Windows(rewriter, operands[side], data, [tapH, tapW, rowH, rowW], window,
                new AxisPadding(0, reachH, fold.Height - positionsH), new AxisPadding(0, reachW, fold.Width - positionsW));
            var taps = rewriter.Emit(new ReverseOp([weights.IndexOf(tapH), weights.IndexOf(tapW)]), operands[1 - side]);
            return Contract(rewriter, side, windows, windowLabels, taps, weights, [.. output.Take(n - 4), rowH, rowW]);
        }
        return null;
    }

    // The contraction whose result the fold sums, and its operands; a permute of a contraction
    // (einspace's im2col gradient: (B, H, W, C, kh, kw) transposed to (B, C, kh, kw, H, W)) is that
    // contraction with its output labels in the permuted order, which only renames which labels
    // are the window and grid axes.
    private static (ContractOp Contract, ImmutableArray<Node> Operands)? Columns(Node columns) => columns switch
    {
        { Op: ContractOp contract } => (contract, columns.Inputs),
        { Op: PermuteOp permute, Inputs: [{ Op: ContractOp contract } product] } =>
            (contract with { Output = [.. permute.Permutation.Select(a => contract.Output[a])] }, product.Inputs),
        _ => null,
    };

    // True when the convolution would compute a grid over twice the one the windows reach
    // (s² rows per position): on einspace's small late-stage grids (2×2 and 4×4 positions of
    // ResNet18, 256-512 channels) the computed-then-cropped border is most of the output and
    // the phase contraction measured 1.5-4 times slower than the column contraction and its fold.
    private static bool MostlyBorder(FoldOp fold, long positions)
    {
        var window = fold.Window;
        var (sH, sW) = (window.StrideH, window.StrideW);
        var computed = (long)CeilDiv(fold.Height, sH) * sH * CeilDiv(fold.Width, sW) * sW;
        return computed > 2 * positions * sH * sW;
    }

    // A stride-(sH, sW) fold of the contraction as one stride-1 contraction over the phases:
    // out[s·q + p] = Σ_m x[q − m] · W[p + s·m] = Σ_j x̃[q + j] · W'[p, M−1−j] with M = ⌈k/s⌉ taps per
    // phase, x̃ the data padded by M − 1 before, W' the taps zero-padded to M·s and split into
    // (m, p). The contraction writes (…, pH, pW, qH, qW) — the positions stay the GEMM's columns —
    // and a permute interleaves them into (…, qH·sH + pH, qW·sW + pW), cropped to the fold's grid.
    private static Node Phases(GraphRewriter rewriter, FoldOp fold, ContractOp contract, Node dataNode, Node weightsNode, int side,
        int positionsH, int positionsW)
    {
        var window = fold.Window;
        var output = contract.Output;
        var n = output.Length;
        var (tapH, tapW, rowH, rowW) = (output[n - 4], output[n - 3], output[n - 2], output[n - 1]);
        var (data, weights) = side == 0 ? (contract.Left, contract.Right) : (contract.Right, contract.Left);
        var (sH, sW) = (window.StrideH, window.StrideW);
        var (mH, mW) = (CeilDiv(window.KernelH, sH), CeilDiv(window.KernelW, sW));
        var (qH, qW) = (CeilDiv(fold.Height, sH), CeilDiv(fold.Width, sW));
        var (windows, windowLabels) = Windows(rewriter, dataNode, data, [tapH, tapW, rowH, rowW], new Window2d(mH, mW, 1, 1, 1, 1),
            new AxisPadding(0, mH - 1, qH - positionsH), new AxisPadding(0, mW - 1, qW - positionsW));
        var fresh = contract.Left.Concat(contract.Right).Concat(output).Max() + 1;
        var (phaseH, phaseW) = (fresh, fresh + 1);
        var (taps, tapLabels) = PhaseTaps(rewriter, weightsNode, weights, (tapH, phaseH, mH, sH), (tapW, phaseW, mW, sW));
        var others = output.Length - 4;
        var phased = Contract(rewriter, side, windows, windowLabels, taps, tapLabels, [.. output.Take(others), phaseH, phaseW, rowH, rowW]);
        var interleaved = rewriter.Emit(new PermuteOp([.. Enumerable.Range(0, others), others + 2, others, others + 3, others + 1]), phased);
        var shape = phased.Type.Shape;
        var node = rewriter.Emit(new ReshapeOp(Shape.Of([.. shape.Dims.Take(others), qH * sH, qW * sW])), interleaved);
        return qH * sH == fold.Height && qW * sW == fold.Width
            ? node
            : rewriter.Emit(new SliceOp([new AxisRange(others, 0, fold.Height), new AxisRange(others + 1, 0, fold.Width)]), node);
    }

    // The weights' tap axes zero-padded to M·s taps, split into (m, p) (tap = m·s + p) and
    // reversed along m: labels (…, tap, phase, …) for each tap axis.
    private static (Node Node, ImmutableArray<int> Labels) PhaseTaps(GraphRewriter rewriter, Node weights, ImmutableArray<int> labels,
        params (int Tap, int Phase, int Taps, int Stride)[] axes)
    {
        var shape = weights.Type.Shape;
        var padding = axes.Select(a => new AxisPadding(labels.IndexOf(a.Tap), 0, a.Taps * a.Stride - shape[labels.IndexOf(a.Tap)].FixedSize))
            .Where(p => p.High > 0).ToImmutableArray();
        var node = padding.IsEmpty ? weights : rewriter.Emit(new PadOp(padding, 0), weights);
        var dims = new List<Dim>();
        var split = new List<int>();
        for (var a = 0; a < labels.Length; a++)
        {
            var axis = Array.FindIndex(axes, x => x.Tap == labels[a]);
            if (axis < 0)
            {
                dims.Add(shape[a]);
                split.Add(labels[a]);
                continue;
            }
            dims.Add(axes[axis].Taps);
            dims.Add(axes[axis].Stride);
            split.Add(labels[a]);
            split.Add(axes[axis].Phase);
        }
        node = rewriter.Emit(new ReshapeOp(Shape.Of(dims)), node);
        node = rewriter.Emit(new ReverseOp([.. axes.Select(a => split.IndexOf(a.Tap)).Order()]), node);
        return (node, [.. split]);
    }

    // The contraction of the window view with the taps, the operands in the fold's contraction's order.
    private static Node Contract(GraphRewriter rewriter, int side, Node windows, ImmutableArray<int> windowLabels, Node taps,
        ImmutableArray<int> tapLabels, ImmutableArray<int> result) =>
        side == 0
            ? rewriter.Emit(new ContractOp(windowLabels, tapLabels, result), windows, taps)
            : rewriter.Emit(new ContractOp(tapLabels, windowLabels, result), taps, windows);

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;

    // The data with its two grid axes last, zero-padded by `padH`/`padW` (their Low before,
    // High after; Axis unused), then unfolded: labels (others…, tapH, tapW, rowH, rowW), the grid
    // axes now the result's grid.
    private static (Node Node, ImmutableArray<int> Labels) Windows(GraphRewriter rewriter, Node data, ImmutableArray<int> labels,
        ImmutableArray<int> fold, Window2d window, AxisPadding padH, AxisPadding padW)
    {
        var (rowH, rowW) = (fold[2], fold[3]);
        var order = Enumerable.Range(0, labels.Length).Where(a => labels[a] != rowH && labels[a] != rowW)
            .Append(labels.IndexOf(rowH)).Append(labels.IndexOf(rowW)).ToImmutableArray();
        var node = order.SequenceEqual(Enumerable.Range(0, labels.Length)) ? data : rewriter.Emit(new PermuteOp(order), data);
        var rank = labels.Length;
        node = rewriter.Emit(new PadOp([padH with { Axis = rank - 2 }, padW with { Axis = rank - 1 }], 0), node);
        node = rewriter.Emit(new UnfoldOp(window), node);
        return (node, [.. order.Take(rank - 2).Select(a => labels[a]), .. fold]);
    }
}
