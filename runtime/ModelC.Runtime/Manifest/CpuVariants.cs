namespace ModelC.Runtime.Manifest;

/// <summary>
/// Chooses, among builds of one program for several CPUs, the one to run on this processor: the
/// first, in the order given (most demanding first), whose required features the processor has.
/// </summary>
public static class CpuVariants
{
    /// <summary>
    /// The first of <paramref name="candidates"/> whose manifest's <see cref="ModelManifest.CpuFeatures"/>
    /// all pass <paramref name="isSupported"/> (by default: this CPU's <see cref="CpuFeatureSupport.IsSupported"/>).
    /// </summary>
    /// <param name="candidates">The builds, most demanding first; the last is the most portable.</param>
    /// <param name="manifestOf">The manifest of a candidate.</param>
    /// <param name="isSupported">Whether the processor has a feature; tests pass another machine's.</param>
    /// <exception cref="InvalidOperationException">No candidate runs here; the message names what the most portable one lacks.</exception>
    public static T Choose<T>(IReadOnlyList<T> candidates, Func<T, ModelManifest> manifestOf, Func<string, bool>? isSupported = null)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(manifestOf);
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        isSupported ??= CpuFeatureSupport.IsSupported;
        foreach (var candidate in candidates.Take(candidates.Count - 1))
        {
            if (manifestOf(candidate).CpuFeatures.All(isSupported))
            {
                return candidate;
            }
        }
        var portable = candidates[^1];
        CpuFeatureSupport.EnsureSupported(manifestOf(portable), isSupported);
        return portable;
    }

    /// <summary>
    /// The manifest to run of <paramref name="manifest"/> and its <see cref="ModelManifest.Variants"/>,
    /// with the file name of its library (<paramref name="library"/> for the manifest's own code).
    /// </summary>
    /// <exception cref="InvalidOperationException">No build runs here.</exception>
    public static (ModelManifest Manifest, string Library) Choose(ModelManifest manifest, string library, Func<string, bool>? isSupported = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        (ModelManifest Manifest, string Library)[] candidates = [.. manifest.Variants.Select(v => (v.Manifest, v.Library)), (manifest with { Variants = [] }, library)];
        return Choose(candidates, c => c.Manifest, isSupported);
    }
}
