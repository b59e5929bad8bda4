using System.Text.Json;
using System.Text.Json.Serialization;
using ModelC.Runtime.Initialization;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests.Manifest;

/// <summary>
/// The manifest's JSON is written and read with metadata generated at build time; every library
/// already built carries the hash of the text reflection-based serialization wrote, so the text
/// must be the same to the byte.
/// </summary>
public sealed class ManifestJsonTests
{
    private static readonly ModelManifest Net = new(ModelManifest.CurrentFormatVersion, "Net", "x86_64-pc-linux-gnu", DeviceKind.Cpu, ["B"],
        [new BufferSpec(0, ElementType.F32, ["B", "4"], false, 0, 0), new BufferSpec(1, ElementType.F32, ["4"], false, 0, 0), new BufferSpec(2, ElementType.I32, ["B"], true, 0, 0)],
        [
            new TensorSpec("x", TensorRole.Input, 0),
            new TensorSpec("w", TensorRole.Parameter, 1, new InitSpec(InitKind.Uniform, -0.5, 0.5)),
            new TensorSpec("w:next", TensorRole.Output, 1, Replaces: "w", InPlace: true),
            new TensorSpec("y", TensorRole.Input, 2, IndexBound: 10),
        ],
        [new KernelSpec("mc_a", [0, 1], "x", KernelKind.Map)], 4096,
        new TrainingSpec(new OptimizerSpec(OptimizerKind.AdamW, 1e-3, 0, false, 0.9, 0.999, 1e-8, 0.01, 0, new ScheduleSpec(ScheduleKind.OneCycle, Warmup: 3)), "optimizer.lr", "optimizer.step", "loss"),
        new string('a', 64), ["avx2", "fma"]);

    private static readonly ModelManifest Rich = Net with
    {
        Variants = [new CpuVariant("x86-64-v4", "libNet.x86-64-v4.so", Net with { CpuFeatures = ["avx512f"] })],
        Gpu = new GpuBuild("Net.kernels.dll", Net with { Target = "ILGPU", Device = DeviceKind.Gpu }),
    };

    [Fact]
    public void TheGeneratedMetadataWritesWhatReflectionWrote()
    {
        var reflection = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        foreach (var manifest in new[] { Net, Rich })
        {
            Assert.Equal(JsonSerializer.Serialize(manifest, reflection), ManifestFile.Serialize(manifest));
        }
    }
}
