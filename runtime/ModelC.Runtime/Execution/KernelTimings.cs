using System.Diagnostics;

namespace ModelC.Runtime.Execution;

/// <summary>
/// Where a model's run time goes: the time spent in each kernel of the schedule, summed over the
/// runs made while attached to <see cref="ModelInstance.Timings"/>, and the time of the whole
/// runs (kernels, dispatch and the copies of updated parameters). For profiles. Wall-clock time
/// by default; with <see cref="ThreadCpuTime"/>, the CPU time of the thread that runs the model,
/// which is all of a one-thread run's work and barely changes when other processes load the machine.
/// </summary>
public sealed class KernelTimings
{
    private readonly long[] _kernelTicks;
    private long _runTicks;

    /// <summary>Empty timings for a schedule of <paramref name="kernels"/> kernels.</summary>
    /// <param name="kernels">The kernels of the schedule.</param>
    /// <param name="threadCpuTime">Measure the running thread's CPU time instead of wall-clock time.</param>
    public KernelTimings(int kernels, bool threadCpuTime = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kernels);
        _kernelTicks = new long[kernels];
        ThreadCpuTime = threadCpuTime;
    }

    /// <summary>Whether the times are the running thread's CPU time (else wall-clock time).</summary>
    public bool ThreadCpuTime { get; }

    /// <summary>The number of kernels timed.</summary>
    public int Kernels => _kernelTicks.Length;

    /// <summary>The runs recorded.</summary>
    public int Runs { get; private set; }

    /// <summary>The time of all recorded runs, start to end.</summary>
    public TimeSpan Total => Duration(_runTicks);

    /// <summary>The time spent in kernel <paramref name="kernel"/> (its index in the schedule) over all recorded runs.</summary>
    public TimeSpan Of(int kernel) => Duration(_kernelTicks[kernel]);

    /// <summary>The clock's reading now, in its own ticks.</summary>
    internal long Now() => ThreadCpuTime ? ThreadCpuClock.Nanoseconds() : Stopwatch.GetTimestamp();

    private TimeSpan Duration(long ticks) => ThreadCpuTime ? TimeSpan.FromTicks(ticks / 100) : Stopwatch.GetElapsedTime(0, ticks);

    internal void AddKernel(int kernel, long ticks) => _kernelTicks[kernel] += ticks;

    internal void AddRun(long ticks)
    {
        _runTicks += ticks;
        Runs++;
    }
}
