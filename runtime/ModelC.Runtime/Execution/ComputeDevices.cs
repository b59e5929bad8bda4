using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>Creates the device a manifest's <see cref="ModelManifest.Device"/> names.</summary>
public static class ComputeDevices
{
    /// <summary>
    /// A device of <paramref name="kind"/> that runs kernels on <paramref name="parallelism"/> workers with
    /// <paramref name="scratchBytes"/> of scratch each: one <paramref name="factory"/> creates when it is of
    /// that kind (a GPU; a CPU whose memory tests guard), else the CPU's.
    /// </summary>
    /// <exception cref="NotSupportedException">This runtime has no device of that kind.</exception>
    public static IComputeDevice Create(DeviceKind kind, int parallelism, long scratchBytes, IComputeDeviceFactory? factory = null) => kind switch
    {
        _ when factory?.Kind == kind => factory.Create(scratchBytes),
        DeviceKind.Cpu => new CpuDevice(parallelism, scratchBytes),
        _ => throw new NotSupportedException($"this runtime cannot run kernels compiled for device '{kind}'"
            + (kind == DeviceKind.Gpu ? " without a GPU device (ModelOptions.Device, from ModelC.Gpu.Runtime)" : "")),
    };
}
