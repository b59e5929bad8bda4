using System.Collections.Immutable;

namespace ModelC.Search.Space;

/// <summary>
/// The terminals of einspace (Ericsson et al., NeurIPS 2024) as ModelC built-ins, each with the
/// shape rule of that built-in (docs/builtins.md). Dimensions are numbered as the language
/// numbers them: 0 is the batch, which no terminal touches.
/// </summary>
public static class EinspaceTerminals
{
    /// <summary>The name of the built-in that turns tokens back into an image, which the printer writes with or without its grid.</summary>
    public const string Col2ImName = "col2im";

    /// <summary>The name of the built-in that turns an image into tokens of patches.</summary>
    public const string Im2ColName = "im2col";

    /// <summary><c>identity</c>: x → x.</summary>
    public static Terminal Identity(TerminalKind kind) => new(kind, "identity", [], Single(x => TerminalResult.Of(x)));

    /// <summary><c>linear(n)</c>: (…, D) → (…, n), D·n + n parameters.</summary>
    public static Terminal Linear(int n) => new(TerminalKind.Computation, "linear", [n], Single(x =>
        TerminalResult.Of(x.With(x.Rank, n), (long)x.Features * n + n, x.Elements * n)));

    /// <summary><c>norm</c>: BatchNorm over C for images, LayerNorm over D for tokens; two parameters per channel or feature.</summary>
    public static Terminal Norm { get; } = new(TerminalKind.Computation, "norm", [], Single(x =>
        TerminalResult.Of(x, 2L * (x.IsImage ? x[1] : x.Features), 2 * x.Elements)));

    /// <summary><c>leaky_relu</c>: x → x.</summary>
    public static Terminal LeakyRelu { get; } = new(TerminalKind.Computation, "leaky_relu", [], Single(x => TerminalResult.Of(x)));

    /// <summary><c>softmax</c> over the last dimension: x → x.</summary>
    public static Terminal Softmax { get; } = new(TerminalKind.Computation, "softmax", [], Single(x => TerminalResult.Of(x)));

    /// <summary><c>pos_enc</c>: adds a learned tensor of the input's shape.</summary>
    public static Terminal PositionalEncoding { get; } = new(TerminalKind.Computation, "pos_enc", [], Single(x =>
        TerminalResult.Of(x, x.Elements, x.Elements)));

    /// <summary><c>clone(n)</c>: n copies.</summary>
    public static Terminal Clone(int n) => new(TerminalKind.Splitter, "clone", [n], Single(x => new TerminalResult([.. Enumerable.Repeat(x, n)])));

    /// <summary><c>group(n, dim)</c>: n equal slices along <paramref name="dim"/>, which n must divide.</summary>
    public static Terminal Group(int n, int dim) => new(TerminalKind.Splitter, "group", [n, dim], Single(x =>
        dim <= x.Rank && x[dim] % n == 0 ? new TerminalResult([.. Enumerable.Repeat(x.With(dim, x[dim] / n), n)]) : null));

    /// <summary><c>add</c>: equal shapes.</summary>
    public static Terminal Add { get; } = new(TerminalKind.Merge, "add", [], xs =>
        xs.Count >= 2 && xs.All(x => x.SameDims(xs[0])) ? TerminalResult.Of(Merged(xs, xs[0]), 0, xs[0].Elements * (xs.Count - 1)) : null);

    /// <summary><c>concat(dim)</c>: equal shapes except along <paramref name="dim"/>, which adds up.</summary>
    public static Terminal Concat(int dim) => new(TerminalKind.Merge, "concat", [dim], xs =>
        xs.All(x => x.Rank == xs[0].Rank) && dim <= xs[0].Rank
            && xs.All(x => Enumerable.Range(1, x.Rank).All(d => d == dim || x[d] == xs[0][d]))
            ? TerminalResult.Of(Merged(xs, xs[0].With(dim, xs.Sum(x => x[dim]))))
            : null);

    /// <summary><c>matmul</c>: two inputs (…, n, k) and (…, k, m) with equal leading dimensions → (…, n, m).</summary>
    public static Terminal MatMul { get; } = new(TerminalKind.Merge, "matmul", [], MatMulRule);

    /// <summary><c>scaled_matmul</c>: as <c>matmul</c>, divided by √k.</summary>
    public static Terminal ScaledMatMul { get; } = new(TerminalKind.Merge, "scaled_matmul", [], MatMulRule);

    /// <summary><c>permute(0, dims…)</c> of the non-batch dimensions; <paramref name="dims"/> is a permutation of 1…rank.</summary>
    public static Terminal Permute(TerminalKind kind, params int[] dims) => new(kind, "permute", [0, .. dims.Select(d => (long)d)], Single(x =>
        x.Rank == dims.Length ? TerminalResult.Of(new FeatureShape(dims.Select(d => x[d]), x.Grid)) : null));

    /// <summary><c>im2col(k, s, p)</c>: (C, H, W) → (H'·W', C·k²) with H' = ⌊(H + 2p − k)/s⌋ + 1; remembers the grid (H', W').</summary>
    public static Terminal Im2Col(int k, int s, int p) => new(TerminalKind.PreRoute, Im2ColName, [k, s, p], Single(x =>
    {
        if (!x.IsImage || x[2] + 2 * p < k || x[3] + 2 * p < k)
        {
            return null;
        }
        var grid = new PatchGrid((x[2] + 2 * p - k) / s + 1, (x[3] + 2 * p - k) / s + 1);
        return TerminalResult.Of(new FeatureShape([grid.Height * grid.Width, x[1] * k * k], grid));
    }));

    /// <summary><c>col2im</c>: tokens (h·w, D) of a remembered grid (h, w) → (D, h, w).</summary>
    public static Terminal Col2ImOfGrid { get; } = new(TerminalKind.PostRoute, Col2ImName, [], Single(x =>
        x is { IsTokens: true, Grid: { } grid } && grid.Height * grid.Width == x[1]
            ? TerminalResult.Of(new FeatureShape([x[2], grid.Height, grid.Width]))
            : null));

    private static TerminalResult? MatMulRule(IReadOnlyList<FeatureShape> xs)
    {
        if (xs is not [var a, var b] || a.Rank != b.Rank || a.Dims[..^2].SequenceEqual(b.Dims[..^2]) is false || a.Dims[^1] != b.Dims[^2])
        {
            return null;
        }
        var output = a.With(a.Rank, b.Dims[^1]);
        return TerminalResult.Of(Merged(xs, output), 0, output.Elements * a.Dims[^1]);
    }

    // A merge keeps the grid its inputs agree on.
    private static FeatureShape Merged(IReadOnlyList<FeatureShape> inputs, FeatureShape output) =>
        output.WithGrid(inputs.All(x => x.Grid == inputs[0].Grid) ? inputs[0].Grid : null);

    private static ShapeRule Single(Func<FeatureShape, TerminalResult?> rule) => xs => xs is [var x] ? rule(x) : null;

    /// <summary>The permutations of 1…<paramref name="rank"/> other than the identity.</summary>
    internal static IEnumerable<int[]> Permutations(int rank)
    {
        static IEnumerable<ImmutableList<int>> All(ImmutableList<int> left) => left.IsEmpty
            ? [ImmutableList<int>.Empty]
            : left.SelectMany(d => All(left.Remove(d)).Select(rest => rest.Insert(0, d)));
        return All([.. Enumerable.Range(1, rank)]).Select(p => p.ToArray()).Where(p => !p.SequenceEqual(Enumerable.Range(1, rank)));
    }
}
