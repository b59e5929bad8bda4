using System.Text.Json.Nodes;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>modelc build --device</c> writes the GPU kernels beside the CPU library
/// (<c>NAME.kernels.dll</c>, listed and hashed in the manifest), and <c>modelc run DIR --device</c>
/// runs them on ILGPU's CPU accelerator with the CPU build's results; a folder without them, or
/// with an assembly or GPU manifest that is not the pair built together, is refused with one line.
/// <c>--emit source</c> carries the kernels in its bundle.
/// </summary>
public sealed class BuiltDeviceTests : IClassFixture<ScratchFolder>
{
    private const string Kernels = "Tiny.kernels.dll";
    private const string ManifestName = "Tiny.manifest.json";
    private readonly ScratchFolder _scratch;
    private readonly string _model;

    /// <summary>Writes the model into the scratch folder.</summary>
    public BuiltDeviceTests(ScratchFolder scratch)
    {
        _scratch = scratch;
        _model = scratch.Write("tiny.mdl", TinyClassifier.Source);
    }

    /// <summary>The built forward pass, and the built train step, give the CPU build's outputs on ILGPU's CPU accelerator (1e-5; the train step's loss after eleven steps 1e-4).</summary>
    [Theory]
    [InlineData("infer", "logits", "0", 1e-5)]
    [InlineData("train", "loss", "10", 1e-4)]
    public void ABuiltFolderRunsOnIlgpuCpuAsOnTheCpu(string mode, string output, string repeat, double tolerance)
    {
        var folder = Build(mode, "--device", "ilgpu-cpu");
        Assert.True(File.Exists(Path.Combine(folder, Kernels)));
        var results = new[] { "cpu", "ilgpu-cpu" }.Select(device =>
        {
            var saved = Path.Combine(_scratch.Path, $"{mode}-{device}.safetensors");
            var run = Modelc.Run("run", folder, "-b", "8", "-r", repeat, "--threads", "1", "--device", device, "--save-tensors", saved);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains(device == "cpu" ? "libTiny.so" : Kernels, run.Output, StringComparison.Ordinal);
            return SafetensorsFile.Read(saved).Tensors[output].Floats;
        }).ToArray();
        Assert.Equal(results[0].Length, results[1].Length);
        Assert.All(results[0].Zip(results[1]), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, tolerance * Math.Max(1, Math.Abs(p.First))));
    }

    /// <summary>A folder built without <c>--device</c> asked to run on a device says so, naming the option that builds the kernels, and exits 2.</summary>
    [Fact]
    public void AFolderWithoutGpuKernelsIsRefused()
    {
        var folder = Build("infer");
        Assert.False(File.Exists(Path.Combine(folder, Kernels)));
        var run = Modelc.Run("run", folder, "-r", "0", "--device", "ilgpu-cpu");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"modelc: error: model 'Tiny' in '{folder}' was built without GPU kernels: build it with --device ilgpu-cpu, cuda or auto to run it on a GPU device\n", run.Error);
    }

    /// <summary>A kernel assembly changed after the build is refused by the manifest's SHA-256 before .NET loads it.</summary>
    [Fact]
    public void ATamperedKernelAssemblyIsRefused()
    {
        var folder = CopyOf(Build("infer", "--device", "ilgpu-cpu"), "tampered-dll");
        var path = Path.Combine(folder, Kernels);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x5a;
        File.WriteAllBytes(path, bytes);
        var run = Modelc.Run("run", folder, "-r", "0", "--device", "ilgpu-cpu");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"modelc: error: manifest field 'librarySha256': '{path}' has SHA-256 ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("loaded", run.Output, StringComparison.Ordinal);
    }

    /// <summary>A GPU manifest edited consistently with itself (its assembly's hash still right) is refused by the hash the assembly was stamped with.</summary>
    [Fact]
    public void AnEditedGpuManifestIsRefusedByTheAssemblysStamp()
    {
        var folder = CopyOf(Build("infer", "--device", "ilgpu-cpu"), "edited-manifest");
        var path = Path.Combine(folder, ManifestName);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["gpu"]!["manifest"]!["scratchBytes"] = 64;
        File.WriteAllText(path, root.ToJsonString());
        var run = Modelc.Run("run", folder, "-r", "0", "--device", "ilgpu-cpu");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"modelc: error: the GPU manifest of model 'Tiny' in '{folder}' does not match its kernel assembly", run.Error, StringComparison.Ordinal);
    }

    /// <summary>With <c>--emit source</c> (the MSBuild path) the GPU kernels of the forward pass and the train step go into the bundle the project embeds.</summary>
    [Fact]
    public void DeviceWithEmitSourcePutsEveryProgramsGpuKernelsIntoTheBundle()
    {
        var folder = Path.Combine(_scratch.Path, "source");
        var result = Modelc.Run("build", _model, "--stdlib", Modelc.Stdlib, "-o", folder, "--emit", "source", "--device", "cuda");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var bundle = File.OpenRead(Path.Combine(folder, "tiny.modelc"));
        var model = ModelBundle.Read(bundle, "tiny.modelc")["Tiny"];
        Assert.All(new[] { model.Inference, model.Training! }, program =>
        {
            Assert.Equal(DeviceKind.Gpu, program.Gpu!.Manifest.Device);
            Assert.Equal(ModelArtifact.HashOf(program.Gpu.Library), program.Gpu.Manifest.LibrarySha256);
        });
        Assert.False(File.Exists(Path.Combine(folder, Kernels)));
    }

    // Builds the model for one CPU (so that the library loaded is the one built) into a folder named by the arguments.
    private string Build(string mode, params string[] extra)
    {
        var folder = Path.Combine(_scratch.Path, string.Join("-", [mode, .. extra]).Replace("--", "", StringComparison.Ordinal));
        if (!Directory.Exists(folder))
        {
            var build = Modelc.Run(["build", _model, "--stdlib", Modelc.Stdlib, "-o", folder, "--emit", "native", "--mode", mode, "--cpu", "x86-64-v3", .. extra]);
            Assert.True(build.ExitCode == 0, build.ToString());
        }
        return folder;
    }

    // A folder of plain files with the built ones' contents, to edit.
    private string CopyOf(string folder, string name)
    {
        var copy = Directory.CreateDirectory(Path.Combine(_scratch.Path, name)).FullName;
        foreach (var file in new[] { "libTiny.so", ManifestName, Kernels })
        {
            File.Copy(Path.Combine(folder, file), Path.Combine(copy, file), overwrite: true);
        }
        return copy;
    }
}
