using System.Runtime.InteropServices;

namespace ModelC.Runtime.Execution;

/// <summary>
/// The CPU time of the calling thread (clock_gettime(CLOCK_THREAD_CPUTIME_ID)): what work on
/// that thread costs, which other processes on a busy machine barely change.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int ThreadCpuTimeClock = 3;

    /// <summary>The calling thread's CPU time so far, in nanoseconds.</summary>
    public static long Nanoseconds()
    {
        if (ClockGetTime(ThreadCpuTimeClock, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed (errno {Marshal.GetLastPInvokeError()})");
        }
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    /// <summary>The calling thread's CPU time since <paramref name="start"/> (a <see cref="Nanoseconds"/> reading).</summary>
    public static TimeSpan Since(long start) => TimeSpan.FromTicks((Nanoseconds() - start) / 100);

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
