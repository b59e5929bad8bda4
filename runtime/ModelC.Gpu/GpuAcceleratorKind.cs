namespace ModelC.Gpu.Runtime;

/// <summary>Which ILGPU accelerator runs a GPU program's kernels.</summary>
public enum GpuAcceleratorKind
{
    /// <summary>ILGPU's CPU accelerator: every kernel runs as .NET code on the host's threads, groups and shared memory simulated. Slow, but present everywhere; what the tests use.</summary>
    IlgpuCpu,

    /// <summary>The first CUDA GPU ILGPU finds.</summary>
    Cuda,
}
