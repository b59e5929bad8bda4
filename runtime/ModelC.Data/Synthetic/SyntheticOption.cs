namespace ModelC.Data.Synthetic;

/// <summary>An option of a synthetic data set's spec, e.g. <c>n=64</c> of <c>poisson</c>.</summary>
/// <param name="Name">The key, matched ignoring case.</param>
/// <param name="Default">The value when the spec leaves the option out.</param>
/// <param name="Meaning">What it sets, for error messages and help.</param>
public sealed record SyntheticOption(string Name, string Default, string Meaning)
{
    /// <summary>The option as help text: <c>n=64 (interior grid points per side)</c>.</summary>
    public override string ToString() => $"{Name}={Default} ({Meaning})";
}
