using ModelC.Gpu.Runtime;

namespace ModelC.Gpu.Tests;

/// <summary>
/// ILGPU's CPU accelerator, opened once for the test run and shared (opening one starts its
/// threads); each model instance still gets a device, stream and memory of its own.
/// </summary>
internal static class IlgpuCpu
{
    private static readonly Lazy<GpuAccelerator> Accelerator = new(() => GpuAccelerator.Open(GpuAcceleratorKind.IlgpuCpu));

    /// <summary>Devices on the shared CPU accelerator.</summary>
    public static GpuDeviceFactory Devices => new(Accelerator.Value);
}
