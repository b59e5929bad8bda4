namespace ModelC.Runtime.Bindings;

/// <summary>
/// Where an instance of a generated model class runs its kernels, chosen when it is created.
/// Every device but <see cref="Cpu"/> runs the model's GPU build, which the assembly carries only
/// when it was built with GPU kernels (<c>modelc build --device</c>, or <c>GpuKernels</c> in MSBuild),
/// through ILGPU in <c>ModelC.Gpu.Runtime</c>, which the app must reference.
/// </summary>
public enum ModelDevice
{
    /// <summary>The host's cores, with the native kernels: the default, and the fastest without a GPU.</summary>
    Cpu,

    /// <summary>The first CUDA GPU ILGPU finds; creating the instance fails with <see cref="DeviceUnavailableException"/> when there is none.</summary>
    Cuda,

    /// <summary>The GPU kernels on ILGPU's CPU accelerator: every kernel runs as .NET code on the host's threads. Slow; present everywhere, for testing the GPU build without a GPU.</summary>
    IlgpuCpu,

    /// <summary><see cref="Cuda"/> when the assembly carries GPU kernels, the app references the GPU runtime and ILGPU sees a CUDA device; otherwise <see cref="Cpu"/>.</summary>
    Auto,
}
