using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Lowering;

/// <summary>
/// Convolutions, pooling and einspace's im2col/col2im on <c>(B, C, H, W)</c> tensors, all as
/// pad → unfold → contract or reduce. The backend sees a contraction over a window view, which
/// it can tile like a GEMM without materialising the unfolded input.
/// </summary>
public static class Convolution
{
    /// <summary>
    /// PyTorch's Conv2d: weight <c>[out, in/groups, kh, kw]</c>, optional bias <c>[out]</c>; the
    /// window's kernel must match the weight's, and <paramref name="padH"/>, <paramref name="padW"/>
    /// pad each side of the height and width.
    /// </summary>
    public static Node Conv2d(GraphBuilder g, Node x, Node weight, Node? bias, Window2d window, int padH, int padW,
        int groups, PaddingMode mode)
    {
        var (kh, kw) = (window.KernelH, window.KernelW);
        var padded = Padding.Pad2d(g, x, padH, padW, mode);
        var cols = g.Add(new UnfoldOp(window), padded);
        var (batch, channels, outH, outW) = (x.Type.Shape[0], x.Type.Shape[1].FixedSize, cols.Type.Shape[4], cols.Type.Shape[5]);
        var outChannels = weight.Type.Shape[0].FixedSize;
        Node y;
        if (groups == 1)
        {
            // cols[b,c,i,j,h,w] · W[o,c,i,j] → y[b,o,h,w]
            y = g.Contract(cols, weight, [0, 1, 2, 3, 4, 5], [6, 1, 2, 3], [0, 6, 4, 5]);
        }
        else
        {
            var groupedCols = g.Reshape(cols, Shape.Of([batch, groups, channels / groups, kh, kw, outH, outW]));
            var groupedWeight = g.Reshape(weight, Shape.Of(groups, outChannels / groups, channels / groups, kh, kw));
            // cols[b,g,c,i,j,h,w] · W[g,o,c,i,j] → y[b,g,o,h,w]
            var grouped = g.Contract(groupedCols, groupedWeight, [0, 1, 2, 3, 4, 5, 6], [1, 7, 2, 3, 4], [0, 1, 7, 5, 6]);
            y = g.Reshape(grouped, Shape.Of([batch, outChannels, outH, outW]));
        }
        return AddChannelBias(g, y, bias);
    }

    /// <summary>
    /// PyTorch's Conv1d on <c>(B, C, L)</c>: weight <c>[out, in/groups, k]</c>. The sequence is an
    /// image of height 1 and the kernel a 1×k window, so the 2-D lowering (and every pass and
    /// backend after it) serves it unchanged.
    /// </summary>
    public static Node Conv1d(GraphBuilder g, Node x, Node weight, Node? bias, int kernel, int stride, int pad, int dilation,
        int groups, PaddingMode mode)
    {
        var image = g.Reshape(x, RowImage(x.Type.Shape));
        var rowWeight = g.Reshape(weight, RowImage(weight.Type.Shape));
        var y = Conv2d(g, image, rowWeight, bias, new Window2d(1, kernel, 1, stride, 1, dilation), 0, pad, groups, mode);
        var s = y.Type.Shape;
        return g.Reshape(y, Shape.Of([s[0], s[1], s[3]]));
    }

    // (B, C, L) → (B, C, 1, L)
    private static Shape RowImage(Shape sequence) => Shape.Of([sequence[0], sequence[1], 1, sequence[2]]);

    /// <summary>
    /// PyTorch's ConvTranspose2d: weight <c>[in, out, k, k]</c>. Each input pixel scatters a
    /// weighted window (a contraction), windows overlap-add onto the grid (fold), then the
    /// border <paramref name="pad"/> is cropped.
    /// </summary>
    public static Node ConvTranspose2d(GraphBuilder g, Node x, Node weight, Node? bias, int stride, int pad,
        int outputPad, int dilation)
    {
        var k = weight.Type.Shape[2].FixedSize;
        var (h, w) = (x.Type.Shape[2].FixedSize, x.Type.Shape[3].FixedSize);
        // x[b,c,h,w] · W[c,o,i,j] → cols[b,o,i,j,h,w]
        var cols = g.Contract(x, weight, [0, 1, 2, 3], [1, 4, 5, 6], [0, 4, 5, 6, 2, 3]);
        var reachH = (h - 1) * stride + dilation * (k - 1) + 1;
        var reachW = (w - 1) * stride + dilation * (k - 1) + 1;
        var y = g.Add(new FoldOp(Window2d.Square(k, stride, dilation), reachH, reachW), cols);
        // output_pad extends the far edge with rows and columns no window reaches.
        if (outputPad > 0)
        {
            y = g.Add(new PadOp([new AxisPadding(2, 0, outputPad), new AxisPadding(3, 0, outputPad)], 0), y);
        }
        var (fullH, fullW) = (reachH + outputPad, reachW + outputPad);
        y = g.Slice(g.Slice(y, 2, pad, fullH - pad), 3, pad, fullW - pad);
        return AddChannelBias(g, y, bias);
    }

    /// <summary>The output size of a transposed convolution along one axis, in 64 bits so huge settings cannot wrap.</summary>
    public static long TransposedOutputSize(int size, int kernel, int stride, int pad, int dilation, int outputPad) =>
        (size - 1L) * stride + (long)dilation * (kernel - 1) + 1 + outputPad - 2L * pad;

    /// <summary>The output size of a convolution along one axis (0 when the window does not fit).</summary>
    public static long OutputSize(int size, int kernel, int stride, int pad, int dilation) =>
        Window2d.Positions(size + 2L * pad, kernel, stride, dilation);

    /// <summary>Max or average pooling with a square window; average counts padding, as PyTorch does.</summary>
    public static Node Pool2d(GraphBuilder g, Node x, int kernel, int stride, int pad, bool max)
    {
        var padded = Padding.Pad2d(g, x, pad, pad, PaddingMode.Zeros, max ? double.NegativeInfinity : 0);
        var rank = x.Type.Rank;
        var windows = g.Add(new UnfoldOp(Window2d.Square(kernel, stride)), padded);
        var reduced = g.Reduce(max ? ReduceKind.Max : ReduceKind.Sum, windows, rank - 2, rank - 1);
        return max ? reduced : g.Binary(BinaryKind.Mul, reduced, 1.0 / (kernel * kernel));
    }

    /// <summary>
    /// einspace's im2col: <c>(B, C, H, W) → (B, H'·W', C·k²)</c>, features ordered <c>c·k² + i·k + j</c>
    /// and positions row-major, as <c>torch.nn.Unfold</c> followed by a transpose.
    /// </summary>
    public static Node Im2col(GraphBuilder g, Node x, int kernel, int stride, int pad)
    {
        var padded = Padding.Pad2d(g, x, pad, pad, PaddingMode.Zeros);
        var cols = g.Add(new UnfoldOp(Window2d.Square(kernel, stride)), padded);
        var s = cols.Type.Shape;
        var features = s[1].FixedSize * kernel * kernel;
        var positions = s[4].FixedSize * s[5].FixedSize;
        var flat = g.Reshape(cols, Shape.Of([s[0], features, positions]));
        return g.Permute(flat, 0, 2, 1);
    }

    /// <summary>einspace's col2im: <c>(B, H'·W', D) → (B, D, H', W')</c>, a transpose and reshape (not a fold).</summary>
    public static Node Col2im(GraphBuilder g, Node x, int height, int width)
    {
        var transposed = g.Permute(x, 0, 2, 1);
        var s = transposed.Type.Shape;
        return g.Reshape(transposed, Shape.Of([s[0], s[1], height, width]));
    }

    private static Node AddChannelBias(GraphBuilder g, Node y, Node? bias) =>
        bias is null ? y : g.Binary(BinaryKind.Add, y, g.BroadcastAlong(bias, y.Type.Shape, 1));
}
