using ModelC.Backend.Driver;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Building;

/// <summary>A model's compiled program as the <see cref="ProgramCache"/> keeps it.</summary>
/// <param name="Summary">The start of its compile summary line, before the statistics.</param>
/// <param name="Statistics">Its compile (as a compile from the cache when loaded from one).</param>
/// <param name="Program">Its manifest and linked library.</param>
internal sealed record CachedProgram(string Summary, CompileStatistics Statistics, BundledProgram Program)
{
    /// <summary>The model's name.</summary>
    public string Name => Program.Manifest.Name;
}
