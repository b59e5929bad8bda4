using System.Diagnostics;

namespace ModelC.Runtime.Execution;

/// <summary>
/// Where a model's run time goes: the time spent in each kernel of the schedule, summed over the
/// runs made while attached to <see cref="ModelInstance.Timings"/>, and the time of the whole
/// runs (kernels, dispatch and the copies of updated parameters). For profiles.
/// </summary>
public sealed class KernelTimings
{
    private readonly long[] _kernelTicks;
    private long _runTicks;

    /// <summary>Empty timings for a schedule of <paramref name="kernels"/> kernels.</summary>
    public KernelTimings(int kernels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kernels);
        _kernelTicks = new long[kernels];
    }

    /// <summary>The number of kernels timed.</summary>
    public int Kernels => _kernelTicks.Length;

    /// <summary>The runs recorded.</summary>
    public int Runs { get; private set; }

    /// <summary>The time of all recorded runs, start to end.</summary>
    public TimeSpan Total => Stopwatch.GetElapsedTime(0, _runTicks);

    /// <summary>The time spent in kernel <paramref name="kernel"/> (its index in the schedule) over all recorded runs.</summary>
    public TimeSpan Of(int kernel) => Stopwatch.GetElapsedTime(0, _kernelTicks[kernel]);

    internal void AddKernel(int kernel, long ticks) => _kernelTicks[kernel] += ticks;

    internal void AddRun(long ticks)
    {
        _runTicks += ticks;
        Runs++;
    }
}
