using ModelC.Gpu.Runtime;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>--device</c> on run and train, and <c>modelc devices</c>: the GPU target on ILGPU's CPU
/// accelerator trains as the CPU backend does; CUDA without a device is refused with exit 1.
/// </summary>
public sealed class DeviceOptionTests : IClassFixture<ScratchFolder>
{
    private readonly ScratchFolder _scratch;
    private readonly string _model;

    /// <summary>Writes the model into the scratch folder.</summary>
    public DeviceOptionTests(ScratchFolder scratch)
    {
        _scratch = scratch;
        _model = scratch.Write("tiny.mdl", TinyClassifier.Source);
    }

    /// <summary>Eleven train steps on the same batch on ILGPU's CPU accelerator end at the CPU backend's loss and logits, within 1e-4, and the loss falls.</summary>
    [Fact]
    public void TrainStepsOnIlgpuCpuMatchTheCpuBackend()
    {
        var cpu = Path.Combine(_scratch.Path, "cpu.safetensors");
        var gpu = Path.Combine(_scratch.Path, "gpu.safetensors");
        var first = Path.Combine(_scratch.Path, "first.safetensors");
        foreach (var (device, path, repeat) in new[] { ("cpu", cpu, "10"), ("ilgpu-cpu", gpu, "10"), ("ilgpu-cpu", first, "0") })
        {
            var result = Run("--mode", "train", "-b", "8", "-r", repeat, "--device", device, "--save-tensors", path);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        var expected = SafetensorsFile.Read(cpu).Tensors;
        var actual = SafetensorsFile.Read(gpu).Tensors;
        foreach (var name in new[] { "loss", "logits" })
        {
            var (e, a) = (expected[name].Floats, actual[name].Floats);
            Assert.Equal(e.Length, a.Length);
            Assert.All(e.Zip(a), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-4 * Math.Max(1, Math.Abs(p.First))));
        }
        Assert.True(actual["loss"].Floats[0] < SafetensorsFile.Read(first).Tensors["loss"].Floats[0]);
    }

    /// <summary>Without a CUDA device, <c>--device cuda</c> says so and exits 1 (with one, it runs).</summary>
    [Fact]
    public void CudaWithoutADeviceIsRefused()
    {
        var result = Run("-r", "0", "--device", "cuda");
        if (GpuAccelerator.CudaPresent())
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            return;
        }
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no CUDA device", result.Error, StringComparison.Ordinal);
    }

    /// <summary>An unknown device is a usage error.</summary>
    [Fact]
    public void UnknownDeviceIsAUsageError()
    {
        var result = Run("--device", "tpu");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tpu", result.Error, StringComparison.Ordinal);
    }

    /// <summary><c>modelc devices</c> lists ILGPU's CPU accelerator at least.</summary>
    [Fact]
    public void DevicesListsTheCpuAccelerator()
    {
        var result = Modelc.Run("devices");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("cpu: CPUAccelerator", result.Output, StringComparison.Ordinal);
    }

    private CliResult Run(params string[] extra) => Modelc.Run(["run", _model, "--stdlib", Modelc.Stdlib, "--threads", "1", .. extra]);
}
