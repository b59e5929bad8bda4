using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Gpu.Runtime;

/// <summary>Gives every <see cref="ModelInstance"/> of GPU code a <see cref="GpuDevice"/> of its own on one shared accelerator.</summary>
public sealed class GpuDeviceFactory(GpuAccelerator accelerator) : IComputeDeviceFactory
{
    /// <inheritdoc/>
    public DeviceKind Kind => DeviceKind.Gpu;

    /// <summary>The accelerator the devices run on.</summary>
    public GpuAccelerator Accelerator { get; } = accelerator;

    /// <inheritdoc/>
    public IComputeDevice Create(long scratchBytes) => new GpuDevice(Accelerator);
}
