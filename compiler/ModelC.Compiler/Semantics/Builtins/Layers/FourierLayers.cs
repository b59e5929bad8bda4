using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>
/// Fourier transforms over one axis (torch.fft's rfft, irfft, fft, ifft) and the FNO's complex
/// channel mixing. Complex tensors carry a trailing axis of 2 (real, imaginary), as
/// torch.view_as_real; the <c>axis</c> of a complex input counts its dimensions without that axis.
/// Each transform is one contraction with a DFT basis (<see cref="Fourier"/>).
/// </summary>
internal static class FourierLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        new LayerBuiltin("rfft", "torch.fft.rfft over one axis: the frequencies 0 … m − 1 of a real signal of n points, m = modes (at most n/2 + 1; 0 keeps all n/2 + 1), complex as a trailing (real, imaginary) axis.",
            "(…, n, …) → (…, m, …, 2)", [Int("axis", -1), Int("modes", 0, Checks.NonNegative)], Rfft),
        new LayerBuiltin("irfft", "torch.fft.irfft(z, n) over one axis of a complex (…, 2) spectrum of frequencies 0 … m − 1 (m ≤ n/2 + 1, the others zero): a real signal of n points.",
            "(…, m, …, 2) → (…, n, …)", [Int("n", Checks.Positive), Int("axis", -1)], Irfft),
        new LayerBuiltin("fft", "torch.fft.fft over one axis of a complex (…, 2) tensor; modes = h keeps only the 2h corner frequencies 0 … h − 1 and −h … −1 (an FNO's kept modes; 2h ≤ n), 0 keeps all n.",
            "(…, n, …, 2) → (…, n or 2h, …, 2)", [Int("axis", -1), Int("modes", 0, Checks.NonNegative)], Fft),
        new LayerBuiltin("ifft", "torch.fft.ifft(z, n) over one axis of a complex (…, 2) spectrum: all n frequencies, or 2h < n corner frequencies as fft(modes = h) keeps them (the others zero).",
            "(…, n or 2h, …, 2) → (…, n, …, 2)", [Int("n", Checks.Positive), Int("axis", -1)], Ifft),
        new LayerBuiltin("spectral_mix", "An FNO's spectral weights: per kept mode, a complex out × C matrix times the complex channel vector, Σ_c z[b, c, …]·W[c, o, …] with W [C, out, modes…, 2] complex, initialised uniform in [0, 1/(C·out)) for both parts as Li et al.",
            "(B, C, modes…, 2) → (B, out, modes…, 2)", [Int("out", Checks.Positive)], SpectralMix),
    ];

    private static TensorValue? Rfft(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        if (!ctx.ExpectFloat(x) || TransformAxis(ctx, x, args.Int("axis"), complex: false) is not { } axis)
        {
            return null;
        }
        var n = x.Shape[axis].FixedSize;
        var modes = args.Int("modes");
        if (!WithinLimit(ctx, n))
        {
            return null;
        }
        if (modes > n / 2 + 1)
        {
            return ctx.Fail($"keeps {modes} modes of {n} points, more than the {n / 2 + 1} frequencies of a real signal", "modes must be at most n/2 + 1");
        }
        return LayerContext.Result(Fourier.Rfft(ctx.Graph, x.Node, axis, modes == 0 ? n / 2 + 1 : modes));
    }

    private static TensorValue? Irfft(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var z = inputs[0];
        if (!ctx.ExpectFloat(z) || TransformAxis(ctx, z, args.Int("axis"), complex: true) is not { } axis)
        {
            return null;
        }
        var (m, n) = (z.Shape[axis].FixedSize, args.Int("n"));
        if (!WithinLimit(ctx, n))
        {
            return null;
        }
        if (m > n / 2 + 1)
        {
            return ctx.Fail($"has {m} frequencies, more than the {n / 2 + 1} of a real signal of n = {n} points", "irfft(n) reads frequencies 0 … n/2");
        }
        return LayerContext.Result(Fourier.Irfft(ctx.Graph, z.Node, axis, n));
    }

    private static TensorValue? Fft(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var z = inputs[0];
        if (!ctx.ExpectFloat(z) || TransformAxis(ctx, z, args.Int("axis"), complex: true) is not { } axis)
        {
            return null;
        }
        var n = z.Shape[axis].FixedSize;
        var modes = args.Int("modes");
        if (!WithinLimit(ctx, n))
        {
            return null;
        }
        if (2 * modes > n)
        {
            return ctx.Fail($"keeps 2·{modes} corner modes of {n} points", "modes must be at most n/2");
        }
        return LayerContext.Result(modes == 0
            ? Fourier.Fft(ctx.Graph, z.Node, axis, n, split: false)
            : Fourier.Fft(ctx.Graph, z.Node, axis, 2 * modes, split: true));
    }

    private static TensorValue? Ifft(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var z = inputs[0];
        if (!ctx.ExpectFloat(z) || TransformAxis(ctx, z, args.Int("axis"), complex: true) is not { } axis)
        {
            return null;
        }
        var (kept, n) = (z.Shape[axis].FixedSize, args.Int("n"));
        if (!WithinLimit(ctx, n))
        {
            return null;
        }
        if (kept != n && (kept > n || kept % 2 != 0))
        {
            return ctx.Fail($"has {kept} frequencies for n = {n} points", "ifft(n) reads all n frequencies, or an even number below n of corner modes (fft's modes)");
        }
        return LayerContext.Result(Fourier.Ifft(ctx.Graph, z.Node, axis, n, split: kept != n));
    }

    private static TensorValue? SpectralMix(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var z = inputs[0];
        if (!ctx.ExpectFloat(z) || !ctx.ExpectMinRank(z, 3, "a complex tensor f32[B, C, modes…, 2]") || !IsComplex(ctx, z) || !ctx.ExpectFixed(z, 1, "mix"))
        {
            return null;
        }
        var (channels, outChannels) = (z.Shape[1].FixedSize, args.Int("out"));
        var modes = z.Shape.Dims.Skip(2).Take(z.Rank - 3).Select(d => d.FixedSize);
        var shape = Shape.Of([channels, outChannels, .. modes, 2]);
        var weight = ctx.Parameter("weight", shape, new UniformInit(0, 1.0 / (channels * outChannels)));
        return LayerContext.Result(Fourier.ComplexMix(ctx.Graph, z.Node, weight));
    }

    // The transformed axis of x (of a complex tensor: among its dimensions before the (re, im) axis), or null after reporting.
    private static int? TransformAxis(LayerContext ctx, TensorValue x, int dim, bool complex)
    {
        if (complex && !IsComplex(ctx, x))
        {
            return null;
        }
        var rank = complex ? x.Rank - 1 : x.Rank;
        var axis = dim < 0 ? dim + rank : dim;
        if (axis < 0 || axis >= rank)
        {
            ctx.Fail($"has axis = {dim}, out of range for {x.Type}{(complex ? " (whose last dimension is the complex part)" : "")}");
            return null;
        }
        return ctx.ExpectFixed(x, axis, "transform") ? axis : null;
    }

    // True if a transform of n points is within the basis's limit; otherwise reports MC4001.
    private static bool WithinLimit(LayerContext ctx, int n)
    {
        if (n <= Fourier.MaxPoints)
        {
            return true;
        }
        ctx.Fail($"transforms {n} points, more than the {Fourier.MaxPoints} its DFT basis supports", "the transform is a contraction with an n × modes basis, meant for a neural operator's grids");
        return false;
    }

    private static bool IsComplex(LayerContext ctx, TensorValue z)
    {
        if (z.Rank >= 2 && z.Shape[z.Rank - 1] == Dim.Of(2))
        {
            return true;
        }
        ctx.Fail($"expects a complex tensor (a last dimension of 2: real, imaginary), got {z.Type}", "rfft makes one from a real tensor");
        return false;
    }
}
