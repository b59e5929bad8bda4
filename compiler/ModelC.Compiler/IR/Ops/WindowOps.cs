namespace ModelC.Compiler.IR.Ops;

/// <summary>A 2-D sliding window: kernel size, stride and dilation per spatial axis.</summary>
public readonly record struct Window2d(int KernelH, int KernelW, int StrideH, int StrideW, int DilationH, int DilationW)
{
    /// <summary>A square window.</summary>
    public static Window2d Square(int kernel, int stride, int dilation = 1) =>
        new(kernel, kernel, stride, stride, dilation, dilation);

    /// <summary>True when every kernel size, stride and dilation is at least 1.</summary>
    public bool IsValid => KernelH >= 1 && KernelW >= 1 && StrideH >= 1 && StrideW >= 1 && DilationH >= 1 && DilationW >= 1;

    /// <summary>How many window positions fit along an axis of <paramref name="size"/>, or 0 (64-bit, so extreme settings cannot wrap).</summary>
    public static int Positions(long size, int kernel, int stride, int dilation)
    {
        var span = (long)dilation * (kernel - 1) + 1;
        return size < span ? 0 : (int)Math.Min(int.MaxValue, (size - span) / stride + 1);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"k={KernelH}x{KernelW}, s={StrideH}x{StrideW}, d={DilationH}x{DilationW}";
}

/// <summary>
/// Extracts sliding windows from the last two axes: <c>(…, H, W) → (…, kh, kw, H', W')</c> with
/// <c>out[…, i, j, y, x] = in[…, y·sh + i·dh, x·sw + j·dw]</c>. Pad first for padded windows.
/// A convolution is a contraction over an unfolded input.
/// </summary>
public sealed record UnfoldOp(Window2d Window) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "unfold";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Injective;

    /// <inheritdoc/>
    /// <remarks>Overlapping windows read an element once per window holding it; a strided window without overlap is still counted, as the planner cannot tell cheaply.</remarks>
    public override bool ReadsInputRepeatedly(int index, IReadOnlyList<TensorType> inputs, TensorType result) => true;

    /// <inheritdoc/>
    public override string FormatAttributes() => Window.ToString();

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var shape = inputs[0].Shape;
        if (shape.Rank < 2)
        {
            Fail($"needs rank ≥ 2, got {shape}");
        }
        ExpectFixedAxis(shape, shape.Rank - 2);
        ExpectFixedAxis(shape, shape.Rank - 1);
        var w = Window;
        if (!w.IsValid)
        {
            Fail($"window {w} has a size, stride or dilation below 1");
        }
        var outH = Window2d.Positions(shape[shape.Rank - 2].FixedSize, w.KernelH, w.StrideH, w.DilationH);
        var outW = Window2d.Positions(shape[shape.Rank - 1].FixedSize, w.KernelW, w.StrideW, w.DilationW);
        if (outH == 0 || outW == 0)
        {
            Fail($"window {w} does not fit {shape}");
        }
        return inputs[0].WithShape(Shape.Of(shape.Dims.Take(shape.Rank - 2).Concat([w.KernelH, w.KernelW, outH, outW])));
    }
}

/// <summary>
/// The adjoint of <see cref="UnfoldOp"/>: adds windows back onto a <c>Height × Width</c> grid,
/// <c>(…, kh, kw, H', W') → (…, Height, Width)</c>, summing where windows overlap.
/// </summary>
public sealed record FoldOp(Window2d Window, int Height, int Width) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "fold";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Reduction;

    /// <inheritdoc/>
    public override string FormatAttributes() => $"{Window}, out={Height}x{Width}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var shape = inputs[0].Shape;
        if (shape.Rank < 4)
        {
            Fail($"needs rank ≥ 4, got {shape}");
        }
        var w = Window;
        if (!w.IsValid)
        {
            Fail($"window {w} has a size, stride or dilation below 1");
        }
        var expected = new Dim[]
        {
            w.KernelH, w.KernelW,
            Window2d.Positions(Height, w.KernelH, w.StrideH, w.DilationH),
            Window2d.Positions(Width, w.KernelW, w.StrideW, w.DilationW),
        };
        if (!shape.Dims.Skip(shape.Rank - 4).SequenceEqual(expected) || expected[2] == Dim.Of(0) || expected[3] == Dim.Of(0))
        {
            Fail($"{shape} does not hold {w} windows of a {Height}x{Width} grid");
        }
        return inputs[0].WithShape(Shape.Of(shape.Dims.Take(shape.Rank - 4).Concat([Height, Width])));
    }
}
