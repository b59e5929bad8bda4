using System.Collections.Immutable;

namespace ModelC.Data.Synthetic;

/// <summary>
/// The synthetic data sets by name, made from spec strings such as <c>poisson:n=64,bc=periodic</c>,
/// <c>darcy</c>, <c>reverse:S=12,vocab=16</c> or <c>spirals:classes=3,noise=0.1</c> (as the command line takes them).
/// </summary>
public static class SyntheticData
{
    private static readonly SyntheticOption GridSize = new("n", "64", "interior grid points per side");
    private static readonly SyntheticOption Alpha = new("alpha", "2", "smoothness exponent of the random field");
    private static readonly SyntheticOption Tau = new("tau", "3", "inverse length scale of the random field");
    private static readonly SyntheticOption Length = new("S", "12", "tokens per sequence");
    private static readonly SyntheticOption Vocabulary = new("vocab", "16", "vocabulary size");

    /// <summary>Every known kind, in the order help lists them.</summary>
    public static ImmutableArray<SyntheticDataSetKind> Kinds { get; } =
    [
        new("poisson", "2-D Poisson −Δu = f: arrays f, u [N, 1, n, n]",
            [GridSize, new("bc", "dirichlet", "boundary: dirichlet or periodic"), Alpha, Tau],
            (o, count, seed) => PoissonDataSet.Generate(count, seed, o.Integer("n", 2),
                o.Choice("bc", "dirichlet", "periodic") == "periodic" ? PoissonBoundary.Periodic : PoissonBoundary.Dirichlet,
                o.Real("alpha", 1), o.Real("tau", 0))),
        new("darcy", "2-D Darcy flow −∇·(a∇u) = 1, a ∈ {3, 12}: arrays a, u [N, 1, n, n]",
            [GridSize, Alpha, Tau],
            (o, count, seed) => DarcyDataSet.Generate(count, seed, o.Integer("n", 2), o.Real("alpha", 1), o.Real("tau", 0))),
        Sequence("copy", SequenceTask.Copy),
        Sequence("reverse", SequenceTask.Reverse),
        Sequence("sort", SequenceTask.Sort),
        new("spirals", "interleaved spirals: x f32 [N, 2], class y i32 [N]",
            [new("classes", "2", "arms, one per class"), new("noise", "0.1", "standard deviation of the Gaussian noise")],
            (o, count, seed) => SpiralsDataSet.Generate(count, seed, o.Integer("classes", 2), o.Real("noise", 0))),
        new("circles", "concentric circles: x f32 [N, 2], class y i32 [N]",
            [new("classes", "2", "circles, one per class"), new("noise", "0.05", "standard deviation of the Gaussian noise")],
            (o, count, seed) => CirclesDataSet.Generate(count, seed, o.Integer("classes", 2), o.Real("noise", 0))),
    ];

    /// <summary>One line per known set with its options and defaults, for help and error messages.</summary>
    public static string Catalogue => string.Join("\n", Kinds.Select(k => "  " + k.Usage));

    /// <summary>Generates <paramref name="count"/> samples of the set <paramref name="spec"/> describes.</summary>
    /// <param name="spec"><c>name</c> or <c>name:key=value,key=value</c>; names and keys ignore case.</param>
    /// <param name="count">Samples.</param>
    /// <param name="seed">The seed; the same spec, count and seed give the same data.</param>
    /// <exception cref="FormatException">The spec names no known set, or an option or value is wrong; the message lists what is allowed.</exception>
    public static Dataset Create(string spec, int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var (kind, options) = Parse(spec);
        return kind.Generate(options, count, seed);
    }

    /// <summary>Checks <paramref name="spec"/>, every value included, and returns its kind and options.</summary>
    /// <exception cref="FormatException">As for <see cref="Create"/>.</exception>
    public static (SyntheticDataSetKind Kind, SyntheticOptions Options) Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? spec : spec[..colon]).Trim();
        var kind = Kinds.FirstOrDefault(k => string.Equals(k.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException(name.Length == 0
                ? $"no synthetic data set named in '{spec}'; known sets:\n{Catalogue}"
                : $"unknown synthetic data set '{name}'; known sets:\n{Catalogue}");
        var pairs = new List<KeyValuePair<string, string>>();
        if (colon >= 0)
        {
            foreach (var part in spec[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new FormatException($"'{part}' in '{spec}' is not key=value; usage: {kind.Usage}");
                }
                pairs.Add(new(part[..equals].Trim(), part[(equals + 1)..].Trim()));
            }
        }
        var options = new SyntheticOptions(kind, pairs);
        // Generating no samples reads and checks every option value, so a bad value fails here, not later.
        kind.Generate(options, 0, 0);
        return (kind, options);
    }

    private static SyntheticDataSetKind Sequence(string name, SequenceTask task) =>
        new(name, $"{name} token sequences: tokens, {SequenceDataSet.TargetName(task)} i32 [N, S]",
            [Length, Vocabulary],
            (o, count, seed) => SequenceDataSet.Generate(task, count, seed, o.Integer("S", 1), o.Integer("vocab", 1)));
}
