using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests.Execution;

/// <summary>The manifest records its device; manifests of another format version are refused with what to do.</summary>
public sealed class ManifestVersionTests
{
    private static readonly ModelManifest Manifest = new(ModelManifest.CurrentFormatVersion, "Net", "x86_64-pc-linux-gnu (test)", DeviceKind.Cpu, ["B"], [], [], [], 0);

    [Fact]
    public void TheDeviceRoundTrips()
    {
        var json = ManifestFile.Serialize(Manifest);
        Assert.Contains("\"device\": \"cpu\"", json, StringComparison.Ordinal);
        Assert.Equal(DeviceKind.Cpu, ManifestFile.Parse(json).Device);
    }

    [Fact]
    public void AnOlderManifestAsksForARebuild()
    {
        var json = ManifestFile.Serialize(Manifest with { FormatVersion = 2 });
        var error = Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(json));
        Assert.Equal($"the manifest has format version 2 and this runtime reads version {ModelManifest.CurrentFormatVersion}; it was built by an older modelc: rebuild the model with this version's modelc", error.Message);
    }

    [Fact]
    public void ANewerManifestAsksForItsRuntime()
    {
        var json = ManifestFile.Serialize(Manifest with { FormatVersion = ModelManifest.CurrentFormatVersion + 1 });
        var error = Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(json));
        Assert.Contains("built by a newer modelc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownDeviceIsRefused()
    {
        var json = ManifestFile.Serialize(Manifest).Replace("\"device\": \"cpu\"", "\"device\": \"tpu\"", StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(json));
        var number = ManifestFile.Serialize(Manifest).Replace("\"device\": \"cpu\"", "\"device\": 7", StringComparison.Ordinal);
        Assert.Equal("the manifest names a device this runtime does not know", Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(number)).Message);
    }
}
