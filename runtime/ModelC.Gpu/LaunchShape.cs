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

    /// <summary>The most groups a launch has on a GPU: kernels loop grid-stride over the rest.</summary>
    private const int MaxGroups = 1 << 16;

    /// <summary>The launch of <paramref name="kernel"/> over <paramref name="extent"/> work items on <paramref name="accelerator"/>.</summary>
    public static LaunchShape Of(GpuKernelCode kernel, long extent, Accelerator accelerator)
    {
        // The CPU accelerator runs a group's threads as OS threads that meet at every barrier, and
        // calls through its launcher once per group and thread: there a group is one thread, and
        // there is one group per multiprocessor, whose grid-stride loops cover the rest.
        var cpu = accelerator.AcceleratorType == AcceleratorType.CPU;
        var maxThreads = cpu ? 1 : accelerator.MaxNumThreadsPerGroup;
        var maxGroups = cpu ? accelerator.NumMultiprocessors : MaxGroups;
        if (kernel.TileDepth == 0)
        {
            var group = Math.Min(ElementGroup, maxThreads);
            return new LaunchShape(new KernelConfig(Groups(extent, group, maxGroups), group));
        }
        var side = TileSide;
        while (side * side > maxThreads)
        {
            side /= 2;
        }
        var tileRows = side * kernel.ThreadRows;
        var tileColumns = side * kernel.ThreadColumns;
        var shared = SharedMemoryConfig.RequestDynamic<float>((tileRows + tileColumns) * kernel.TileDepth);
        return new LaunchShape(new KernelConfig(new Index3D(Groups(extent, (long)tileRows * tileColumns, maxGroups), 1, 1), new Index3D(side, side, 1), shared));
    }

    private static int Groups(long items, long perGroup, int maxGroups) => (int)Math.Clamp((items + perGroup - 1) / perGroup, 1, maxGroups);
}
