using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>Convolutions, pooling, and einspace's im2col/col2im routing on images (B, C, H, W).</summary>
internal static class ConvolutionLayers
{
    /// <summary>The name of einspace's im2col, which a route's bare col2im pairs with.</summary>
    public const string Im2colName = "im2col";

    /// <summary>The name of einspace's col2im.</summary>
    public const string Col2imName = "col2im";

    private const string Image = "an image f32[B, C, H, W]";

    public static ImmutableArray<Builtin> All { get; } =
    [
        new LayerBuiltin("conv", "Convolution over sequences or images, PyTorch's Conv1d/Conv2d: weight [out, in/groups, k…]; k, stride, pad and dilation give one size for every spatial axis or a list with one per axis ([31, 1]); groups = in is depthwise; mode sets the boundary (zeros, circular, reflect, replicate).",
            "(B, C, L) → (B, out, L'); (B, C, H, W) → (B, out, H', W'); per axis L' = ⌊(L + 2·pad − dilation·(k−1) − 1)/stride⌋ + 1",
            [
                Int("out", Checks.Positive), PerAxis("k", 3, Checks.Positive), PerAxis("stride", 1, Checks.Positive),
                Optional("pad", ParameterType.IntPerAxis, Checks.NonNegative),
                PerAxis("dilation", 1, Checks.Positive), Int("groups", 1, Checks.Positive), Bool("bias", true), Padding("mode", PaddingMode.Zeros),
                WeightInit(),
            ],
            Conv),
        new LayerBuiltin("conv_transpose", "Transposed 2-D convolution, PyTorch's ConvTranspose2d: weight [in, out, k, k].",
            "(B, C, H, W) → (B, out, H', W'), H' = (H − 1)·stride − 2·pad + dilation·(k−1) + output_pad + 1",
            [
                Int("out", Checks.Positive), Int("k", Checks.Positive), Int("stride", 1, Checks.Positive), Int("pad", 0, Checks.NonNegative),
                Int("output_pad", 0, Checks.NonNegative), Int("dilation", 1, Checks.Positive), Bool("bias", true), WeightInit(),
            ],
            ConvTranspose),
        new LayerBuiltin(Im2colName, "einspace's im2col: extracts k×k patches (zero padding) as tokens, features ordered c·k² + i·k + j.",
            "(B, C, H, W) → (B, H'·W', C·k²)",
            [Int("k", Checks.Positive), Int("stride", 1, Checks.Positive), Int("pad", 0, Checks.NonNegative)], Im2col),
        new LayerBuiltin(Col2imName, "einspace's col2im: turns tokens back into an image; the grid comes from the route's im2col unless given.",
            "(B, h·w, D) → (B, D, h, w)",
            [Optional("h", ParameterType.Int, Checks.Positive), Optional("w", ParameterType.Int, Checks.Positive)], Col2im),
        new LayerBuiltin("max_pool", "Maximum over k×k windows (padding never wins).", "(B, C, H, W) → (B, C, H', W')",
            [Int("k", Checks.Positive), new("stride", ParameterType.Int, a => new IntValue(a.Int("k")), Check: Checks.Positive), Int("pad", 0, Checks.NonNegative)],
            (ctx, args, inputs) => Pool(ctx, args, inputs[0], max: true)),
        new LayerBuiltin("avg_pool", "Mean over k×k windows, counting padding as zeros (PyTorch's default).", "(B, C, H, W) → (B, C, H', W')",
            [Int("k", Checks.Positive), new("stride", ParameterType.Int, a => new IntValue(a.Int("k")), Check: Checks.Positive), Int("pad", 0, Checks.NonNegative)],
            (ctx, args, inputs) => Pool(ctx, args, inputs[0], max: false)),
        new LayerBuiltin("global_avg_pool", "Mean over the spatial dimensions.", "(B, C, H, W) → (B, C)", [], GlobalAveragePool),
    ];

    /// <summary>The (H', W') grid an im2col with these arguments makes from an input of this shape.</summary>
    public static (int Height, int Width) Im2colGrid(Shape input, BoundArguments args)
    {
        var (k, stride, pad) = (args.Int("k"), args.Int("stride"), args.Int("pad"));
        return ((int)Convolution.OutputSize(input[2].FixedSize, k, stride, pad, 1), (int)Convolution.OutputSize(input[3].FixedSize, k, stride, pad, 1));
    }

    private static TensorValue? Conv(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        var (outChannels, groups) = (args.Int("out"), args.Int("groups"));
        var mode = ((PaddingValue)args["mode"]).Mode;
        if (!ExpectSpatial(ctx, x)
            || AxisSizes(ctx, args, "k", x) is not { } k || AxisSizes(ctx, args, "stride", x) is not { } stride
            || AxisSizes(ctx, args, "dilation", x) is not { } dilation)
        {
            return null;
        }
        // PyTorch's default is no padding; ModelC's keeps the size ('same' for odd k, stride 1).
        var pad = args.Find("pad") is null ? [.. k.Select((size, i) => dilation[i] * (size - 1) / 2)] : AxisSizes(ctx, args, "pad", x);
        if (pad is null)
        {
            return null;
        }
        var channels = x.Shape[1].FixedSize;
        int[] sizes = [.. Enumerable.Range(2, k.Length).Select(axis => x.Shape[axis].FixedSize)];
        if (channels % groups != 0 || outChannels % groups != 0)
        {
            return ctx.Fail($"has groups = {groups}, which must divide the input channels ({channels}) and out ({outChannels})");
        }
        if (TooLarge(ctx, sizes.Select((size, i) => size + 2L * pad[i]).Max(), "padded input"))
        {
            return null;
        }
        if (sizes.Where((size, i) => !Lowering.Padding.Fits(mode, size, pad[i])).Any())
        {
            var rule = mode == PaddingMode.Reflect ? "smaller than" : "at most";
            return ctx.Fail($"cannot pad the {Extent(sizes)} input by {Setting(pad)} in {mode.ToString().ToLowerInvariant()} mode: the padding must be {rule} the input");
        }
        if (sizes.Where((size, i) => Convolution.OutputSize(size, k[i], stride[i], pad[i], dilation[i]) == 0).Any())
        {
            return ctx.Fail($"does not fit the {Extent(sizes)} input: the {Extent(k)} window (dilation {Setting(dilation)}) is larger than the input padded by {Setting(pad)}");
        }
        var init = LinearLayers.FanInUniform(channels / groups * k.Aggregate(1, (product, size) => product * size));
        var weight = ctx.Weight(args, Shape.Of([outChannels, channels / groups, .. k.Select(size => (Dim)size)]), init);
        var bias = args.Bool("bias") ? ctx.Parameter("bias", Shape.Of(outChannels), init) : null;
        var y = k.Length == 1
            ? Convolution.Conv1d(ctx.Graph, x.Node, weight, bias, k[0], stride[0], pad[0], dilation[0], groups, mode)
            : Convolution.Conv2d(ctx.Graph, x.Node, weight, bias, new IR.Ops.Window2d(k[0], k[1], stride[0], stride[1], dilation[0], dilation[1]),
                pad[0], pad[1], groups, mode);
        return LayerContext.Result(y);
    }

    /// <summary>
    /// A per-axis setting for each spatial axis of <paramref name="x"/>: one int repeated, or a
    /// list with exactly one size per axis; null after reporting a list of another length.
    /// </summary>
    private static int[]? AxisSizes(LayerContext ctx, BoundArguments args, string name, TensorValue x)
    {
        var axes = x.Rank - 2;
        if (args[name] is IntValue one)
        {
            return [.. Enumerable.Repeat((int)one.Value, axes)];
        }
        var list = (ListValue)args[name];
        if (list.Items.Length == axes)
        {
            return args.Ints(name);
        }
        ctx.Fail($"has {name} = {list.Display}: {list.Items.Length} {(list.Items.Length == 1 ? "size" : "sizes")} for the {axes} spatial {(axes == 1 ? "axis" : "axes")} of {x.Type}");
        return null;
    }

    // 8x8 for an image, length-16 for a sequence.
    private static string Extent(int[] sizes) => sizes.Length == 1 ? $"length-{sizes[0]}" : string.Join("x", sizes);

    // One number when every axis has it, else per axis (1x2).
    private static string Setting(int[] sizes) => sizes.Distinct().Count() == 1 ? $"{sizes[0]}" : string.Join("x", sizes);

    private static TensorValue? ConvTranspose(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        var (outChannels, k, stride, pad, outputPad, dilation) =
            (args.Int("out"), args.Int("k"), args.Int("stride"), args.Int("pad"), args.Int("output_pad"), args.Int("dilation"));
        if (!ExpectImage(ctx, x))
        {
            return null;
        }
        if (outputPad >= Math.Max(stride, dilation))
        {
            return ctx.Fail($"has output_pad = {outputPad}, which must be smaller than stride or dilation");
        }
        var (height, width) = (x.Shape[2].FixedSize, x.Shape[3].FixedSize);
        if (Convolution.TransposedOutputSize(Math.Min(height, width), k, stride, pad, dilation, outputPad) <= 0)
        {
            return ctx.Fail($"gives an empty output for the {height}x{width} input: pad = {pad} crops everything");
        }
        if (TooLarge(ctx, Convolution.TransposedOutputSize(Math.Max(height, width), k, stride, 0, dilation, outputPad), "output"))
        {
            return null;
        }
        var init = LinearLayers.FanInUniform(outChannels * k * k);
        var weight = ctx.Weight(args, Shape.Of(x.Shape[1].FixedSize, outChannels, k, k), init);
        var bias = args.Bool("bias") ? ctx.Parameter("bias", Shape.Of(outChannels), init) : null;
        return LayerContext.Result(Convolution.ConvTranspose2d(ctx.Graph, x.Node, weight, bias, stride, pad, outputPad, dilation));
    }

    private static TensorValue? Im2col(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        if (!ExpectImage(ctx, x))
        {
            return null;
        }
        if (TooLarge(ctx, Math.Max(x.Shape[2].FixedSize, x.Shape[3].FixedSize) + 2L * args.Int("pad"), "padded input"))
        {
            return null;
        }
        var (h, w) = Im2colGrid(x.Shape, args);
        if (h == 0 || w == 0)
        {
            return ctx.Fail($"does not fit the {x.Shape[2]}x{x.Shape[3]} input");
        }
        return LayerContext.Result(Convolution.Im2col(ctx.Graph, x.Node, args.Int("k"), args.Int("stride"), args.Int("pad")));
    }

    private static TensorValue? Col2im(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        if (args.Find("h") is null || args.Find("w") is null)
        {
            return ctx.Fail("does not know the image grid",
                "use it as the post of 'route im2col(...) [...] col2im', or give the grid: col2im(h, w)");
        }
        if (!ctx.ExpectFloat(x) || !ctx.ExpectRank(x, 3, "tokens f32[B, L, D]") || !ctx.ExpectFixed(x, 1, "fold"))
        {
            return null;
        }
        var (h, w) = (args.Int("h"), args.Int("w"));
        if (x.Shape[1].FixedSize != h * w)
        {
            return ctx.Fail($"needs {h}x{w} = {h * w} tokens, got {x.Type}");
        }
        return LayerContext.Result(Convolution.Col2im(ctx.Graph, x.Node, h, w));
    }

    private static TensorValue? Pool(LayerContext ctx, BoundArguments args, TensorValue x, bool max)
    {
        var (k, stride, pad) = (args.Int("k"), args.Int("stride"), args.Int("pad"));
        if (!ExpectImage(ctx, x))
        {
            return null;
        }
        if (pad > k / 2)
        {
            return ctx.Fail($"has pad = {pad}, which must be at most half the window ({k / 2})");
        }
        if (Convolution.OutputSize(x.Shape[2].FixedSize, k, stride, pad, 1) == 0 || Convolution.OutputSize(x.Shape[3].FixedSize, k, stride, pad, 1) == 0)
        {
            return ctx.Fail($"does not fit the {x.Shape[2]}x{x.Shape[3]} input");
        }
        return LayerContext.Result(Convolution.Pool2d(ctx.Graph, x.Node, k, stride, pad, max));
    }

    private static TensorValue? GlobalAveragePool(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        return ExpectImage(ctx, x) ? LayerContext.Result(ctx.Graph.Mean(x.Node, 2, 3)) : null;
    }

    // Dimensions are 32-bit; settings that would exceed that are reported, not wrapped.
    private static bool TooLarge(LayerContext ctx, long size, string what)
    {
        if (size <= int.MaxValue)
        {
            return false;
        }
        ctx.Fail($"makes a {what} dimension of {size}, larger than {int.MaxValue}");
        return true;
    }

    // A sequence (B, C, L) or an image (B, C, H, W) with fixed channels and extent.
    private static bool ExpectSpatial(LayerContext ctx, TensorValue x)
    {
        if (!ctx.ExpectFloat(x))
        {
            return false;
        }
        if (x.Rank is not (3 or 4))
        {
            ctx.Fail($"expects a sequence f32[B, C, L] or an image f32[B, C, H, W], got {x.Type}");
            return false;
        }
        return Enumerable.Range(1, x.Rank - 1).All(axis => ctx.ExpectFixed(x, axis, "convolve over"));
    }

    private static bool ExpectImage(LayerContext ctx, TensorValue x) =>
        ctx.ExpectFloat(x) && ctx.ExpectRank(x, 4, Image)
        && ctx.ExpectFixed(x, 1, "convolve over") && ctx.ExpectFixed(x, 2, "convolve over") && ctx.ExpectFixed(x, 3, "convolve over");
}
