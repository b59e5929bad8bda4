using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>Creates the device a manifest's <see cref="ModelManifest.Device"/> names.</summary>
public static class ComputeDevices
{
    /// <summary>A device of <paramref name="kind"/> that runs kernels on <paramref name="parallelism"/> workers with <paramref name="scratchBytes"/> of scratch each.</summary>
    /// <exception cref="NotSupportedException">This runtime has no device of that kind.</exception>
    public static IComputeDevice Create(DeviceKind kind, int parallelism, long scratchBytes) => kind switch
    {
        DeviceKind.Cpu => new CpuDevice(parallelism, scratchBytes),
        _ => throw new NotSupportedException($"this runtime cannot run kernels compiled for device '{kind}'"),
    };
}
