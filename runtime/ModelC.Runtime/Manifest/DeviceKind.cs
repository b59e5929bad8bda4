namespace ModelC.Runtime.Manifest;

/// <summary>
/// The kind of device a program's kernels run on. The manifest records it; the runtime picks the
/// matching <see cref="Execution.IComputeDevice"/> (memory, copies and the kernel calling convention).
/// </summary>
public enum DeviceKind
{
    /// <summary>The host's cores: kernels are native functions run by a thread pool on host memory (<see cref="Execution.CpuDevice"/>).</summary>
    Cpu,

    /// <summary>
    /// An ILGPU accelerator (a CUDA GPU, or ILGPU's CPU accelerator): kernels are methods of a .NET
    /// assembly that ILGPU compiles for the accelerator when they are loaded (runtime/ModelC.Gpu).
    /// </summary>
    Gpu,
}
