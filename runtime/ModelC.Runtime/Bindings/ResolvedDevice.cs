using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Runtime.Bindings;

/// <summary>
/// What a requested <see cref="ModelDevice"/> is for one model: the device it runs on
/// (<see cref="ModelDevice.Auto"/> decided), and for a GPU the runtime and devices that load and run
/// the programs' GPU builds (<see cref="BundledProgram.Gpu"/>).
/// </summary>
/// <param name="Device">The device the instance runs on: never <see cref="ModelDevice.Auto"/>.</param>
/// <param name="Gpu">The GPU runtime; null on the CPU.</param>
/// <param name="Devices">What gives each program's instance its device; null on the CPU.</param>
internal sealed record ResolvedDevice(ModelDevice Device, IGpuRuntime? Gpu, IComputeDeviceFactory? Devices)
{
    private static readonly ResolvedDevice Cpu = new(ModelDevice.Cpu, null, null);

    /// <summary>The device <paramref name="requested"/> gives <paramref name="model"/> here.</summary>
    /// <exception cref="DeviceUnavailableException">A GPU device was asked for and the model, the app or the machine lacks what it needs.</exception>
    public static ResolvedDevice For(ModelDevice requested, BundledModel model) => requested switch
    {
        ModelDevice.Cpu => Cpu,
        ModelDevice.Auto => model.Inference.Gpu is not null && GpuRuntimeLocator.Find() is { CudaPresent: true } gpu
            ? new(ModelDevice.Cuda, gpu, gpu.Devices(ModelDevice.Cuda))
            : Cpu,
        ModelDevice.Cuda or ModelDevice.IlgpuCpu => OnGpu(requested, model),
        _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, "not a ModelDevice"),
    };

    /// <summary>The manifest and loaded code of <paramref name="program"/> (<paramref name="kind"/>: inference or training) of model <paramref name="model"/> on this device.</summary>
    /// <exception cref="DeviceUnavailableException">The program has no GPU build.</exception>
    /// <exception cref="InvalidDataException">The code is not the one its manifest was built with.</exception>
    public (ModelManifest Manifest, IKernelLibrary Kernels) Load(string model, string kind, BundledProgram program)
    {
        if (Gpu is null)
        {
            return (program.Manifest, LoadedKernels.Of(model, kind, program));
        }
        var build = program.Gpu ?? throw WithoutGpuKernels(model, Device);
        return (build.Manifest, LoadedKernels.OfGpu(model, kind, build, Gpu));
    }

    private static ResolvedDevice OnGpu(ModelDevice device, BundledModel model)
    {
        if (model.Inference.Gpu is null)
        {
            throw WithoutGpuKernels(model.Name, device);
        }
        var gpu = GpuRuntimeLocator.Find() ?? throw new DeviceUnavailableException(
            $"ModelDevice.{device} needs the GPU runtime, assembly {GpuRuntimeLocator.AssemblyName} (with ILGPU), which this app does not reference: add a reference to it, or use ModelDevice.Cpu");
        return new(device, gpu, gpu.Devices(device));
    }

    private static DeviceUnavailableException WithoutGpuKernels(string model, ModelDevice device) => new(
        $"model {model} was built without GPU kernels, so it cannot run on ModelDevice.{device}: build it with 'modelc build --device ilgpu-cpu' (MSBuild: GpuKernels=\"true\" on its ModelC item), or use ModelDevice.Cpu");
}
