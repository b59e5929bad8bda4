using ModelC.Backend.Driver;
using ModelC.Backend.Tests;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Gpu.Runtime;
using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Gpu.Tests;

/// <summary>
/// A train step on the GPU device moves only what the host touches: after the first step, a step
/// uploads its inputs and nothing else (parameters, gradients and optimizer state stay on the
/// device), downloads nothing unless the host reads an output, and reading the loss downloads the
/// loss alone.
/// </summary>
public sealed class ResidencyTests
{
    /// <summary>Two MLP train steps on ILGPU's CPU accelerator, counting the device's copies.</summary>
    [Fact]
    public void TrainStepCopiesOnlyAtTheEdges()
    {
        var model = new ExampleCase("examples/mlp/mlp.mdl", "Mlp", ExecutionMode.Training, null).Elaborate();
        var compiled = ModelCompiler.Compile(model, GpuTarget.Instance);
        var devices = new RecordingFactory(IlgpuCpu.Devices);
        using var instance = new ModelInstance(compiled.Manifest, compiled.Kernels, new Dictionary<string, int> { ["B"] = 2 }, new ModelOptions(1, 3, devices), ownsKernels: true);
        var device = devices.Created!;
        var inputs = compiled.Manifest.TensorsOf(TensorRole.Input).ToList();
        var inputBytes = inputs.Sum(t => instance.ShapeOf(t.Name).Aggregate(1L, (p, d) => p * d) * compiled.Manifest.Buffers[t.Buffer].ElementSize);
        void Step()
        {
            foreach (var input in inputs)
            {
                switch (compiled.Manifest.Buffers[input.Buffer].Type)
                {
                    case ElementType.F32:
                        instance.Floats(input.Name).Fill(0.25f);
                        break;
                    default:
                        instance.Ints(input.Name).Fill(1);
                        break;
                }
            }
            instance.Run();
        }

        Step();
        var (up, down) = (device.BytesToDevice, device.BytesToHost);
        Step();
        Assert.Equal(inputBytes, device.BytesToDevice - up);
        Assert.Equal(0, device.BytesToHost - down);

        down = device.BytesToHost;
        Assert.True(float.IsFinite(instance.Floats(compiled.Manifest.Training!.LossOutput)[0]));
        Assert.Equal(sizeof(float), device.BytesToHost - down);
    }

    private sealed class RecordingFactory(GpuDeviceFactory inner) : IComputeDeviceFactory
    {
        public GpuDevice? Created { get; private set; }

        public DeviceKind Kind => inner.Kind;

        public IComputeDevice Create(long scratchBytes)
        {
            Created = (GpuDevice)inner.Create(scratchBytes);
            return Created;
        }
    }
}
