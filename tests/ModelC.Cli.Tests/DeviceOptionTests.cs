using System.Text.Json;
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

    /// <summary>
    /// <c>modelc train</c> of the reverse example (two epochs of a small sample) on ILGPU's CPU
    /// accelerator gives the CPU backend's training and validation loss per epoch and its test
    /// loss, within 1e-4, and the training loss falls.
    /// </summary>
    [Fact]
    public void ReverseTrainsOnIlgpuCpuWithTheCpuBackendsLosses()
    {
        var (cpu, gpu) = (ReverseLosses("cpu"), ReverseLosses("ilgpu-cpu"));
        Assert.Equal(cpu.Length, gpu.Length);
        Assert.All(cpu.Zip(gpu), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-4 * Math.Max(1, Math.Abs(p.First))));
        Assert.True(gpu[2] < gpu[0], string.Join(", ", gpu));
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

    // Epoch 1's training and validation loss, epoch 2's, and the test loss (metrics.json).
    private double[] ReverseLosses(string device)
    {
        var output = Path.Combine(_scratch.Path, "reverse-" + device);
        var result = Modelc.Run("train", Modelc.File("examples/macaron/reverse.mdl"), "--stdlib", Modelc.Stdlib, "--data", "reverse",
            "--samples", "40", "--test-samples", "8", "--batch", "8", "--epochs", "2", "--threads", "1", "--device", device, "-o", output);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        return [.. metrics.RootElement.GetProperty("epochs").EnumerateArray()
                .SelectMany(e => new[] { e.GetProperty("train_loss").GetDouble(), e.GetProperty("validation_loss").GetDouble() }),
            metrics.RootElement.GetProperty("test").GetProperty("loss").GetDouble()];
    }

    private CliResult Run(params string[] extra) => Modelc.Run(["run", _model, "--stdlib", Modelc.Stdlib, "--threads", "1", .. extra]);
}
