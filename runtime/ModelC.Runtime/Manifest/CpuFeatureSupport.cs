using System.Collections.Frozen;
using System.Runtime.Intrinsics.X86;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// The instruction-set features a manifest may require (<see cref="ModelManifest.CpuFeatures"/>),
/// by their LLVM names, and whether the CPU running this process has them (the
/// <c>System.Runtime.Intrinsics.X86</c> flags). Code compiled for features the CPU lacks dies with
/// SIGILL at its first such instruction; checking before the library is loaded turns that into an
/// error naming the features.
/// </summary>
public static class CpuFeatureSupport
{
    private static readonly FrozenDictionary<string, Func<bool>> Checks = new Dictionary<string, Func<bool>>(StringComparer.Ordinal)
    {
        ["sse"] = () => Sse.IsSupported,
        ["sse2"] = () => Sse2.IsSupported,
        ["sse3"] = () => Sse3.IsSupported,
        ["ssse3"] = () => Ssse3.IsSupported,
        ["sse4.1"] = () => Sse41.IsSupported,
        ["sse4.2"] = () => Sse42.IsSupported,
        ["popcnt"] = () => Popcnt.IsSupported,
        ["avx"] = () => Avx.IsSupported,
        ["avx2"] = () => Avx2.IsSupported,
        ["bmi"] = () => Bmi1.IsSupported,
        ["bmi2"] = () => Bmi2.IsSupported,
        ["fma"] = () => Fma.IsSupported,
        ["lzcnt"] = () => Lzcnt.IsSupported,
        ["avx512f"] = () => Avx512F.IsSupported,
        ["avx512bw"] = () => Avx512BW.IsSupported,
        ["avx512cd"] = () => Avx512CD.IsSupported,
        ["avx512dq"] = () => Avx512DQ.IsSupported,
        ["avx512vl"] = () => Avx512F.VL.IsSupported,
        ["avx512vbmi"] = () => Avx512Vbmi.IsSupported,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The features a manifest can require: those this runtime can check.</summary>
    public static IReadOnlyCollection<string> Known => Checks.Keys;

    /// <summary>Whether the CPU running this process has <paramref name="feature"/> (false for a feature not in <see cref="Known"/>).</summary>
    public static bool IsSupported(string feature) => Checks.TryGetValue(feature, out var check) && check();

    /// <summary>
    /// Refuses <paramref name="manifest"/> when its code needs features that <paramref name="isSupported"/>
    /// (by default: this CPU) lacks.
    /// </summary>
    /// <exception cref="InvalidOperationException">Features are missing; the message names them and what to do.</exception>
    public static void EnsureSupported(ModelManifest manifest, Func<string, bool>? isSupported = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        isSupported ??= IsSupported;
        var missing = manifest.CpuFeatures.Where(f => !isSupported(f)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"model {manifest.Name} was compiled for {manifest.Target} and needs CPU features this processor lacks: {string.Join(", ", missing)}; "
                + "rebuild it for this machine (modelc build --cpu native) or for an older level (--cpu x86-64-v2)");
        }
    }
}
