using System.Runtime.InteropServices;

namespace ModelC.Bench;

/// <summary>
/// The CPU time of the calling thread (clock_gettime(CLOCK_THREAD_CPUTIME_ID)): what a
/// single-threaded run costs, which other processes on a busy machine barely change.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ThreadCpuTimeClock = 3;

    /// <summary>The calling thread's CPU time so far, in milliseconds.</summary>
    public static double Milliseconds()
    {
        if (ClockGetTime(ThreadCpuTimeClock, out var time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed (errno {Marshal.GetLastPInvokeError()})");
        }
        return time.Seconds * 1e3 + time.Nanoseconds * 1e-6;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
