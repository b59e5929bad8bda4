using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Bindings;

/// <summary>
/// The GPU half of the runtime, as generated model classes use it: it lives in
/// <c>ModelC.Gpu.Runtime</c>, which needs ILGPU, so this assembly does not reference it: it creates
/// that assembly's <c>GpuRuntime</c> by name, once per process, only when a GPU device is asked for.
/// </summary>
public interface IGpuRuntime
{
    /// <summary>Whether ILGPU sees a CUDA device.</summary>
    bool CudaPresent { get; }

    /// <summary>
    /// The devices of the process-wide accelerator <paramref name="device"/> names
    /// (<see cref="ModelDevice.Cuda"/> or <see cref="ModelDevice.IlgpuCpu"/>), opened at the first request.
    /// </summary>
    /// <exception cref="DeviceUnavailableException">The accelerator is not present (no CUDA device).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="device"/> names no accelerator.</exception>
    IComputeDeviceFactory Devices(ModelDevice device);

    /// <summary>
    /// Loads a GPU program's kernel assembly <paramref name="image"/> into the process, after checking
    /// that it was built with <paramref name="manifest"/> (the hash it was stamped with);
    /// <paramref name="origin"/> names the program in the error.
    /// </summary>
    /// <exception cref="InvalidDataException">The assembly was built with another manifest.</exception>
    IKernelLibrary LoadKernels(ModelManifest manifest, byte[] image, string origin);
}
