using ModelC.Runtime.Bindings;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Gpu.Runtime;

/// <summary>
/// The GPU runtime as generated model classes find it (<see cref="IGpuRuntime"/>; ModelC.Runtime
/// creates it by name when an instance asks for a GPU device). Each accelerator is opened once per
/// process, at its first use, and shared by every instance (each has its own stream and memory);
/// it stays open for the life of the process, as the CPU kernels stay loaded.
/// </summary>
public sealed class GpuRuntime : IGpuRuntime
{
    private static readonly Dictionary<GpuAcceleratorKind, GpuDeviceFactory> Opened = [];

    /// <inheritdoc/>
    public bool CudaPresent => GpuAccelerator.CudaPresent();

    /// <inheritdoc/>
    public IComputeDeviceFactory Devices(ModelDevice device)
    {
        var kind = device switch
        {
            ModelDevice.Cuda => GpuAcceleratorKind.Cuda,
            ModelDevice.IlgpuCpu => GpuAcceleratorKind.IlgpuCpu,
            _ => throw new ArgumentOutOfRangeException(nameof(device), device, "not an ILGPU accelerator"),
        };
        lock (Opened)
        {
            if (!Opened.TryGetValue(kind, out var devices))
            {
                devices = new GpuDeviceFactory(Open(kind));
                Opened[kind] = devices;
            }
            return devices;
        }
    }

    /// <inheritdoc/>
    public IKernelLibrary LoadKernels(ModelManifest manifest, byte[] image, string origin) => GpuKernelLibrary.Checked(manifest, image, origin);

    // The accelerator, with the advice for the API's names rather than the command line's.
    private static GpuAccelerator Open(GpuAcceleratorKind kind)
    {
        try
        {
            return GpuAccelerator.Open(kind);
        }
        catch (GpuUnavailableException e)
        {
            throw new GpuUnavailableException($"{GpuAccelerator.NoCudaDevice}; create the model with ModelDevice.Cpu, ModelDevice.IlgpuCpu or ModelDevice.Auto (CUDA when present, else the CPU)", e);
        }
    }
}
