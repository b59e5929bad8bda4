using ILGPU;
using ILGPU.Runtime;

namespace ModelC.Gpu.Runtime;

/// <summary>The grid, groups and shared memory a kernel is launched with on one accelerator.</summary>
internal sealed record LaunchShape(KernelConfig Config)
{
    /// <summary>Threads per group of one-thread-per-element kernels, where the accelerator allows (a CUDA block of 256).</summary>
    private const int ElementGroup = 256;

    /// <summary>Threads per side of a tiled GEMM's square group, where the accelerator allows (16 × 16 on CUDA).</summary>
    private const int TileSide = 16;

    /// <summary>The most groups a launch has: kernels loop grid-stride over the rest.</summary>
    private const int MaxGroups = 1 << 16;

    /// <summary>The launch of <paramref name="kernel"/> over <paramref name="extent"/> work items on <paramref name="accelerator"/>.</summary>
    public static LaunchShape Of(GpuKernelCode kernel, long extent, Accelerator accelerator)
    {
        var maxThreads = accelerator.MaxNumThreadsPerGroup;
        if (kernel.TileDepth == 0)
        {
            var group = Math.Min(ElementGroup, maxThreads);
            return new LaunchShape(new KernelConfig(Groups(extent, group), group));
        }
        var side = accelerator.AcceleratorType == AcceleratorType.CPU ? 1 : TileSide;
        while (side * side > maxThreads)
        {
            side /= 2;
        }
        var tileRows = side * kernel.ThreadRows;
        var tileColumns = side * kernel.ThreadColumns;
        var shared = SharedMemoryConfig.RequestDynamic<float>((tileRows + tileColumns) * kernel.TileDepth);
        return new LaunchShape(new KernelConfig(new Index3D(Groups(extent, (long)tileRows * tileColumns), 1, 1), new Index3D(side, side, 1), shared));
    }

    private static int Groups(long items, long perGroup) => (int)Math.Clamp((items + perGroup - 1) / perGroup, 1, MaxGroups);
}
