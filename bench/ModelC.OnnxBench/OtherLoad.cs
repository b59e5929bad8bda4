using System.Diagnostics;
using System.Globalization;

namespace ModelC.OnnxBench;

/// <summary>
/// How many CPUs other processes kept busy while a model was measured: the whole machine's busy
/// time from <c>/proc/stat</c> less this process's own CPU time, over the wall time between
/// <see cref="Start"/> and <see cref="CpusUsed"/>. Zero where <c>/proc/stat</c> cannot be read.
/// </summary>
internal sealed class OtherLoad
{
    // /proc/stat counts in USER_HZ, which Linux fixes at 100 for user space.
    private const double TicksPerSecond = 100;

    private readonly double busyStart;
    private readonly double ownStart;
    private readonly Stopwatch wall;

    private OtherLoad(double busy, double own)
    {
        (busyStart, ownStart, wall) = (busy, own, Stopwatch.StartNew());
    }

    /// <summary>Starts counting now.</summary>
    public static OtherLoad Start() => new(MachineBusySeconds(), OwnSeconds());

    /// <summary>Other processes' CPUs in use on average since <see cref="Start"/>.</summary>
    public double CpusUsed()
    {
        var seconds = wall.Elapsed.TotalSeconds;
        var others = MachineBusySeconds() - busyStart - (OwnSeconds() - ownStart);
        return seconds > 0 ? Math.Max(0, others / seconds) : 0;
    }

    /// <summary>The 1-, 5- and 15-minute load averages (empty where unknown).</summary>
    public static double[] LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static double OwnSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private static double MachineBusySeconds()
    {
        try
        {
            // "cpu  user nice system idle iowait irq softirq steal …": busy is all but idle and iowait.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return (fields.Sum() - fields[3] - fields[4]) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
