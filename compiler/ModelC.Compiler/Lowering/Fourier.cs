using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Lowering;

/// <summary>
/// Discrete Fourier transforms as contractions with DFT basis tensors. A complex tensor is a real
/// tensor with a trailing axis of size 2 (real, imaginary), as torch.view_as_real. A transform of
/// n points keeping m frequencies is one contraction with an [n, 2, m, 2] basis (fewer axes for a
/// real side), built in the graph from index tensors, so autodiff, the interpreter and every
/// backend see only iota, elementwise math and a GEMM; it costs O(n·m) per transformed line
/// instead of an FFT's O(n log n), which is cheaper for the few modes a neural operator keeps.
/// </summary>
public static class Fourier
{
    /// <summary>The most points a transform takes: 4n² must be exact in float32 for the basis, and the basis costs O(n·m).</summary>
    public const int MaxPoints = 2048;

    // The frequencies of a transform's Kept outputs: 0 … Kept−1 (all n, or a one-sided real
    // spectrum's first m), or when Split the 2h = Kept corners 0 … h−1 and −h … −1.
    private readonly record struct Frequencies(int Kept, bool Split);

    /// <summary>torch.fft.rfft over <paramref name="axis"/>: real x → complex (…, m, …, 2) holding frequencies 0 … m−1.</summary>
    public static Node Rfft(GraphBuilder g, Node x, int axis, int modes)
    {
        var n = x.Type.Shape[axis].FixedSize;
        var basis = Basis(g, n, new Frequencies(modes, Split: false), inverse: false, complexSpace: false, weighted: false);
        var rank = x.Type.Rank;
        int k = rank, c = rank + 1;
        var xLabels = Enumerable.Range(0, rank).ToArray();
        return g.Contract(x, basis, xLabels, [axis, k, c], [.. Replace(xLabels, axis, k), c]);
    }

    /// <summary>
    /// torch.fft.irfft with n = <paramref name="n"/> over <paramref name="axis"/> of a complex
    /// (…, m, …, 2) spectrum of frequencies 0 … m−1 (m ≤ n/2 + 1; missing ones are zero). As torch,
    /// the imaginary parts of the zero and Nyquist frequencies are ignored.
    /// </summary>
    public static Node Irfft(GraphBuilder g, Node z, int axis, int n)
    {
        var m = z.Type.Shape[axis].FixedSize;
        var basis = Basis(g, n, new Frequencies(m, Split: false), inverse: true, complexSpace: false, weighted: true);
        var rank = z.Type.Rank - 1;
        int c = rank, j = rank + 1;
        var zLabels = Enumerable.Range(0, rank + 1).ToArray();
        return g.Contract(z, basis, zLabels, [j, axis, c], Replace(zLabels[..rank], axis, j));
    }

    /// <summary>
    /// torch.fft.fft over <paramref name="axis"/> of a complex (…, n, …, 2) tensor; with
    /// <paramref name="split"/> only the 2h corner frequencies 0 … h−1, −h … −1 are computed
    /// (<paramref name="kept"/> = 2h).
    /// </summary>
    public static Node Fft(GraphBuilder g, Node z, int axis, int kept, bool split)
    {
        var n = z.Type.Shape[axis].FixedSize;
        var basis = Basis(g, n, new Frequencies(kept, split), inverse: false, complexSpace: true, weighted: false);
        return ComplexContract(g, z, basis, axis, spaceFirst: true);
    }

    /// <summary>
    /// torch.fft.ifft with n = <paramref name="n"/> over <paramref name="axis"/>: a spectrum of all n
    /// frequencies, or of 2h corners (as <see cref="Fft"/> keeps them, the rest zero) when
    /// <paramref name="split"/>.
    /// </summary>
    public static Node Ifft(GraphBuilder g, Node z, int axis, int n, bool split)
    {
        var kept = z.Type.Shape[axis].FixedSize;
        var basis = Basis(g, n, new Frequencies(kept, split), inverse: true, complexSpace: true, weighted: false);
        return ComplexContract(g, z, basis, axis, spaceFirst: false);
    }

    /// <summary>
    /// Complex channel mixing per mode: out[b, o, …] = Σ_c z[b, c, …]·w[c, o, …] for complex z
    /// (B, C, modes…, 2) and w (C, out, modes…, 2), as one contraction over (c, the input's complex
    /// part) with w arranged as the real 2×2 form of each complex weight, [[re, im], [−im, re]].
    /// </summary>
    public static Node ComplexMix(GraphBuilder g, Node z, Node w)
    {
        var rank = z.Type.Rank;
        var last = rank - 1;
        var re = g.Slice(w, last, 0, 1);
        var im = g.Slice(w, last, 1, 2);
        var rotated = g.Concat(last, g.Unary(UnaryKind.Neg, im), re);
        var leading = Shape.Of([Dim.Of(1), .. w.Type.Shape.Dims]);
        var real2x2 = g.Concat(0, g.Reshape(w, leading), g.Reshape(rotated, leading));
        int part = last, outChannel = rank, outPart = rank + 1;
        var zLabels = Enumerable.Range(0, rank).ToArray();
        var modes = zLabels[2..last];
        return g.Contract(z, real2x2, zLabels, [part, 1, outChannel, .. modes, outPart], [0, outChannel, .. modes, outPart]);
    }

    // The basis is [space j, its complex part, frequency k, its complex part]; a forward
    // transform contracts j with the input's axis, an inverse contracts k.
    private static Node ComplexContract(GraphBuilder g, Node z, Node basis, int axis, bool spaceFirst)
    {
        var rank = z.Type.Rank - 1;
        int c = rank, target = rank + 1, targetPart = rank + 2;
        var zLabels = Enumerable.Range(0, rank + 1).ToArray();
        int[] basisLabels = spaceFirst ? [axis, c, target, targetPart] : [target, targetPart, axis, c];
        return g.Contract(z, basis, zLabels, basisLabels, [.. Replace(zLabels[..rank], axis, target), targetPart]);
    }

    private static int[] Replace(int[] labels, int axis, int label)
    {
        var copy = labels.ToArray();
        copy[axis] = label;
        return copy;
    }

    /// <summary>
    /// The DFT basis [n, 2, kept, 2] ([n, kept, 2] for a real space side), element
    /// scale · cos(2π·p / 4n) with p = ∓4·k·j + n·(c_space − c_freq) reduced modulo 4n before the
    /// angle is formed, so float32 backends see angles below 2π (p is exact in float32 up to
    /// n = <see cref="MaxPoints"/>): a forward
    /// transform multiplies by e^(−iθ) (real input part to output parts: cos θ, −sin θ), an inverse
    /// by e^(+iθ), the quarter turns selecting cos or ±sin per pair of complex parts.
    /// </summary>
    private static Node Basis(GraphBuilder g, int n, Frequencies frequencies, bool inverse, bool complexSpace, bool weighted)
    {
        var type = TensorType.F32(Shape.Of(n, 2, frequencies.Kept, 2));
        var j = g.Add(new IotaOp(0, type));
        var spacePart = g.Add(new IotaOp(1, type));
        var k = FrequencyOf(g, g.Add(new IotaOp(2, type)), frequencies);
        var frequencyPart = g.Add(new IotaOp(3, type));
        // The real-to-complex direction reads the space side's real part; complex-to-real the inverse writes it.
        var (inPart, outPart) = inverse ? (frequencyPart, spacePart) : (spacePart, frequencyPart);
        var quarterTurns = g.Binary(BinaryKind.Mul, g.Binary(BinaryKind.Sub, inPart, outPart), n);
        var p = g.Binary(BinaryKind.Add, g.Binary(BinaryKind.Mul, g.Binary(BinaryKind.Mul, k, j), inverse ? 4 : -4), quarterTurns);
        var period = 4.0 * n;
        var wraps = g.Cast(g.Cast(g.Binary(BinaryKind.Div, p, period), ElementType.I32), ElementType.F32);
        var reduced = g.Binary(BinaryKind.Sub, p, g.Binary(BinaryKind.Mul, wraps, period));
        var basis = g.Unary(UnaryKind.Cos, g.Binary(BinaryKind.Mul, reduced, 2 * Math.PI / period));
        basis = weighted ? g.Binary(BinaryKind.Mul, basis, OneSidedWeights(g, k, n)) : inverse ? g.Binary(BinaryKind.Mul, basis, 1.0 / n) : basis;
        return complexSpace ? basis : g.Reshape(g.Slice(basis, 1, 0, 1), Shape.Of(n, frequencies.Kept, 2));
    }

    // Index i → frequency: i itself, or i − 2h for the upper h of 2h split corners.
    private static Node FrequencyOf(GraphBuilder g, Node index, Frequencies frequencies)
    {
        if (!frequencies.Split)
        {
            return index;
        }
        var half = frequencies.Kept / 2;
        var upper = g.Compare(CompareKind.Ge, index, g.Filled(half, index));
        return g.Select(upper, g.Binary(BinaryKind.Sub, index, 2.0 * half), index);
    }

    // irfft's Hermitian weights over n: 1 for frequency 0 and n/2, 2 between (each stands for k and n − k).
    private static Node OneSidedWeights(GraphBuilder g, Node k, int n)
    {
        var single = g.Filled(1.0 / n, k);
        var atNyquist = g.Select(g.Compare(CompareKind.Eq, g.Binary(BinaryKind.Mul, k, 2), g.Filled(n, k)), single, g.Filled(2.0 / n, k));
        return g.Select(g.Compare(CompareKind.Eq, k, g.Filled(0, k)), single, atNyquist);
    }
}
