using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests.Manifest;

/// <summary>
/// A manifest's GPU build (<see cref="ModelManifest.Gpu"/>, <c>modelc build --device</c>): absent from
/// a CPU-only manifest's JSON, round-tripped when present, left out of the CPU library's hash, and
/// validated like a CPU variant (a whole manifest of the same model, on the GPU, its file beside it).
/// </summary>
public sealed class GpuBuildManifestTests
{
    private static readonly ModelManifest Net = new(ModelManifest.CurrentFormatVersion, "Net", "x86_64-pc-linux-gnu", DeviceKind.Cpu, ["B"],
        [new BufferSpec(0, ElementType.F32, ["B", "4"], false, 0, 0)], [new TensorSpec("x", TensorRole.Input, 0)], [new KernelSpec("mc_a", [0], "x", KernelKind.Map)], 0);

    private static readonly ModelManifest OnGpu = Net with { Target = "ILGPU", Device = DeviceKind.Gpu, LibrarySha256 = new string('0', 64) };

    private static readonly ModelManifest WithGpu = Net with { Gpu = new GpuBuild("Net.kernels.dll", OnGpu) };

    [Fact]
    public void ACpuOnlyManifestHasNoGpuFieldAndAGpuBuildRoundTrips()
    {
        Assert.DoesNotContain("\"gpu\"", ManifestFile.Serialize(Net), StringComparison.Ordinal);
        var json = ManifestFile.Serialize(WithGpu);
        Assert.Contains("\"gpu\": {", json, StringComparison.Ordinal);
        Assert.Equal(json, ManifestFile.Serialize(ManifestFile.Parse(json)));
        var gpu = ManifestFile.Parse(json).Gpu!;
        Assert.Equal("Net.kernels.dll", gpu.Library);
        Assert.Equal(ManifestFile.Serialize(OnGpu), ManifestFile.Serialize(gpu.Manifest));
    }

    [Fact]
    public void TheCpuLibrarysHashLeavesTheGpuBuildOut() => Assert.Equal(ManifestHash.Of(Net), ManifestHash.Of(WithGpu));

    public static TheoryData<GpuBuild, string> Refused() => new()
    {
        { new GpuBuild("../Net.kernels.dll", OnGpu), "manifest field 'gpu.library': '../Net.kernels.dll' is not a file name" },
        { new GpuBuild("Net.kernels.dll", OnGpu with { Device = DeviceKind.Cpu }), "manifest field 'gpu.manifest': it is not a build of model Net in this format on device Gpu, or it has builds of its own" },
        { new GpuBuild("Net.kernels.dll", OnGpu with { Name = "Other" }), "manifest field 'gpu.manifest': it is not a build of model Net in this format on device Gpu, or it has builds of its own" },
        { new GpuBuild("Net.kernels.dll", OnGpu with { Tensors = [new TensorSpec("y", TensorRole.Input, 0)] }), "manifest field 'gpu.manifest.tensors': they are not the tensors of the manifest that lists it" },
        { new GpuBuild("Net.kernels.dll", OnGpu with { ScratchBytes = -1 }), "manifest field 'gpu.manifest': manifest field 'scratchBytes': -1 is not between 0 and 1073741824" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void AGpuBuildThatIsNotThisModelsOnTheGpuIsRefused(GpuBuild gpu, string message)
    {
        var json = ManifestFile.Serialize(Net with { Gpu = gpu });
        Assert.Equal(message, Assert.Throws<InvalidDataException>(() => ManifestFile.Parse(json)).Message);
    }
}
