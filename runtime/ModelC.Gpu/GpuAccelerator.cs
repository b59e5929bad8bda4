using System.Collections.Concurrent;
using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace ModelC.Gpu.Runtime;

/// <summary>
/// An ILGPU context and one accelerator, shared by every <see cref="GpuDevice"/> (each instance
/// has its own stream and memory), and the kernels ILGPU has compiled for it, compiled once per
/// kernel method. Thread-safe.
/// </summary>
public sealed class GpuAccelerator : IDisposable
{
    private readonly Context _context;
    private readonly ConcurrentDictionary<MethodInfo, Kernel> _kernels = new();

    private GpuAccelerator(Context context, Accelerator accelerator, GpuAcceleratorKind kind)
    {
        _context = context;
        Accelerator = accelerator;
        Kind = kind;
    }

    /// <summary>What opening a CUDA accelerator without one says first (the caller adds what to do instead).</summary>
    public const string NoCudaDevice = "no CUDA device is present (ILGPU found no CUDA driver or GPU)";

    /// <summary>The ILGPU accelerator.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Which kind of accelerator it is.</summary>
    public GpuAcceleratorKind Kind { get; }

    /// <summary>The accelerator in words.</summary>
    public string Description => $"{Accelerator.AcceleratorType} {Accelerator.Name}";

    /// <summary>Opens an accelerator of <paramref name="kind"/>.</summary>
    /// <exception cref="GpuUnavailableException">No such accelerator is present (no CUDA device or driver).</exception>
    public static GpuAccelerator Open(GpuAcceleratorKind kind)
    {
        var context = CreateContext();
        try
        {
            Accelerator accelerator = kind switch
            {
                GpuAcceleratorKind.IlgpuCpu => context.CreateCPUAccelerator(0),
                GpuAcceleratorKind.Cuda => (context.GetCudaDevices().Count > 0 ? context.GetCudaDevices()[0].CreateAccelerator(context) : null)
                    ?? throw new GpuUnavailableException($"{NoCudaDevice}; use --device cpu or ilgpu-cpu"),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown accelerator kind"),
            };
            return new GpuAccelerator(context, accelerator, kind);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Whether ILGPU sees a CUDA device.</summary>
    public static bool CudaPresent()
    {
        using var context = CreateContext();
        return context.GetCudaDevices().Count > 0;
    }

    /// <summary>Every device ILGPU sees, one line each: its kind, name, memory and multiprocessors.</summary>
    public static IReadOnlyList<string> ListDevices()
    {
        using var context = CreateContext();
        return [.. context.Devices.Select(d =>
            $"{d.AcceleratorType.ToString().ToLowerInvariant()}: {d.Name}, {d.MemorySize / (1 << 20)} MiB, {d.NumMultiprocessors} multiprocessors, warp {d.WarpSize}, at most {d.MaxNumThreadsPerGroup} threads per group")];
    }

    /// <summary>The kernel <paramref name="method"/> compiled for this accelerator (compiled on first use).</summary>
    public Kernel Load(MethodInfo method) => _kernels.GetOrAdd(method, m => Accelerator.LoadKernel(m));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var kernel in _kernels.Values)
        {
            kernel.Dispose();
        }
        _kernels.Clear();
        Accelerator.Dispose();
        _context.Dispose();
    }

    // Algorithms gives the PTX backend its implementations of sin, cos and pow; math stays at
    // full precision (no fast-math approximations), so results match the CPU backend's. The CPU
    // accelerator gets one multiprocessor per core (ILGPU's default has one in all) of the
    // fewest threads it allows (one warp of two): it runs every thread of a multiprocessor as an
    // OS thread, and all of them meet at a barrier twice per launch, so more threads only add
    // synchronisation on a CPU (LaunchShape gives it groups of one thread, one per multiprocessor).
    internal static Context CreateContext() =>
        Context.Create(builder => builder.CPU(new CPUDevice(2, 1, Environment.ProcessorCount)).Cuda().Math(MathMode.Default).EnableAlgorithms());
}
