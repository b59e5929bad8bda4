using System.Globalization;

namespace ModelC.Bench;

/// <summary>The memory of this process as Linux counts it in <c>/proc/self/status</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>The peak resident set (VmHWM) and the current one (VmRSS), in KiB.</summary>
    public static (long Peak, long Current) Read()
    {
        long peak = 0, current = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kibibytes(line);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kibibytes(line);
            }
        }
        return (peak, current);
    }

    // "VmHWM:	  123456 kB"
    private static long Kibibytes(string line) =>
        long.Parse(line.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
