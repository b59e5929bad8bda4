using System.Collections.Immutable;

namespace ModelC.Data.Synthetic;

/// <summary>A synthetic data set known to <see cref="SyntheticData"/>: its spec name, options and generator.</summary>
/// <param name="Name">The name a spec starts with, e.g. <c>poisson</c>.</param>
/// <param name="Summary">One line saying what the samples are.</param>
/// <param name="Options">The options the spec may set.</param>
/// <param name="Generate">Makes the data set from parsed options, a sample count and a seed.</param>
public sealed record SyntheticDataSetKind(
    string Name,
    string Summary,
    ImmutableArray<SyntheticOption> Options,
    Func<SyntheticOptions, int, ulong, Dataset> Generate)
{
    /// <summary>The kind as one line of help: <c>poisson:n=64,bc=dirichlet,… — summary</c>.</summary>
    public string Usage => Options.IsEmpty
        ? $"{Name} — {Summary}"
        : $"{Name}:{string.Join(",", Options.Select(o => $"{o.Name}={o.Default}"))} — {Summary}";
}
