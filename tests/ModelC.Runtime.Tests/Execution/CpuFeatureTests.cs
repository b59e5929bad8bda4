using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests.Execution;

/// <summary>
/// The manifest records the CPU features its code needs; a CPU lacking any is refused before the
/// code is loaded, with the features named, instead of dying with SIGILL.
/// </summary>
public sealed class CpuFeatureTests
{
    private static readonly ModelManifest Manifest = new(ModelManifest.CurrentFormatVersion, "Net", "x86_64-pc-linux-gnu (x86-64-v3)", DeviceKind.Cpu, ["B"], [], [], [], 0,
        CpuFeatures: ["avx", "avx2", "fma"]);

    [Fact]
    public void TheFeaturesRoundTrip()
    {
        var json = ManifestFile.Serialize(Manifest);
        Assert.Contains("\"cpuFeatures\": [", json, StringComparison.Ordinal);
        Assert.Equal(["avx", "avx2", "fma"], ManifestFile.Parse(json).CpuFeatures.ToArray());
    }

    [Fact]
    public void AManifestWithoutFeaturesNeedsNone()
    {
        var none = new ModelManifest(ModelManifest.CurrentFormatVersion, "Net", "aarch64-linux-gnu (generic)", DeviceKind.Cpu, ["B"], [], [], [], 0);
        Assert.Empty(none.CpuFeatures);
        var json = ManifestFile.Serialize(none).Replace("\"cpuFeatures\": []", "\"unused\": 0", StringComparison.Ordinal);
        Assert.DoesNotContain("cpuFeatures", json, StringComparison.Ordinal);
        Assert.Empty(ManifestFile.Parse(json).CpuFeatures);
        CpuFeatureSupport.EnsureSupported(none, _ => false);
    }

    [Fact]
    public void AFeatureTheRuntimeCannotCheckIsRefused()
    {
        var json = ManifestFile.Serialize(Manifest with { CpuFeatures = ["avx2", "amx-tile"] });
        var error = Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(json));
        Assert.StartsWith("manifest field 'cpuFeatures[1]': 'amx-tile' is not a feature this runtime can check (avx, avx2, ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACpuLackingAFeatureIsRefusedWithTheFeaturesNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CpuFeatureSupport.EnsureSupported(Manifest, f => f == "avx"));
        Assert.Equal("model Net was compiled for x86_64-pc-linux-gnu (x86-64-v3) and needs CPU features this processor lacks: avx2, fma; "
            + "rebuild it for this machine (modelc build --cpu native) or for an older level (--cpu x86-64-v2)", error.Message);
    }

    [Fact]
    public void ACpuWithEveryFeatureIsAccepted()
    {
        CpuFeatureSupport.EnsureSupported(Manifest, _ => true);
        CpuFeatureSupport.EnsureSupported(Manifest with { CpuFeatures = ["sse2"] });
    }

    [Fact]
    public void EveryKnownFeatureCanBeAskedOfThisCpu()
    {
        Assert.Contains("avx512f", CpuFeatureSupport.Known);
        Assert.True(CpuFeatureSupport.IsSupported("sse2"));
        Assert.False(CpuFeatureSupport.IsSupported("not-a-feature"));
        Assert.All(CpuFeatureSupport.Known, f => CpuFeatureSupport.IsSupported(f));
    }
}
