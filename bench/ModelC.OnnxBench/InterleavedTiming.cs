using System.Diagnostics;
using ModelC.Runtime.Execution;

namespace ModelC.OnnxBench;

/// <summary>One timed block of runs: when it started, and its mean wall-clock and per-thread CPU
/// milliseconds per run.</summary>
/// <param name="StartMs">Milliseconds since the clock the timing was given started.</param>
/// <param name="WallMs">Wall-clock milliseconds per run (the block's mean).</param>
/// <param name="CpuMs">The calling thread's CPU milliseconds per run (the block's mean).</param>
/// <param name="First">Whether this side ran first in its repetition.</param>
internal sealed record Block(double StartMs, double WallMs, double CpuMs, bool First);

/// <summary>One side's blocks: how many runs a block holds and every repetition's block.</summary>
internal sealed record SideTimings(int RunsPerBlock, IReadOnlyList<Block> Blocks);

/// <summary>
/// Times two runners against each other, interleaved: each repetition runs one block of each,
/// and which goes first alternates between repetitions, so that a change of the machine's load
/// hits both alike instead of all of one side's repetitions.
/// </summary>
internal static class InterleavedTiming
{
    /// <summary>Warms both up (two runs each), sizes each side's block to last about
    /// <paramref name="blockMs"/> (at least one run), then times <paramref name="reps"/>
    /// repetitions.</summary>
    public static (SideTimings A, SideTimings B) Measure(Action a, Action b, int reps, double blockMs, Stopwatch clock)
    {
        var runsA = BlockSize(a, blockMs);
        var runsB = BlockSize(b, blockMs);
        var blocksA = new List<Block>(reps);
        var blocksB = new List<Block>(reps);
        for (var r = 0; r < reps; r++)
        {
            var aFirst = r % 2 == 0;
            if (aFirst)
            {
                blocksA.Add(TimeBlock(a, runsA, clock, first: true));
                blocksB.Add(TimeBlock(b, runsB, clock, first: false));
            }
            else
            {
                blocksB.Add(TimeBlock(b, runsB, clock, first: true));
                blocksA.Add(TimeBlock(a, runsA, clock, first: false));
            }
        }
        return (new SideTimings(runsA, blocksA), new SideTimings(runsB, blocksB));
    }

    private static int BlockSize(Action run, double blockMs)
    {
        run();
        run();
        var clock = Stopwatch.StartNew();
        run();
        var ms = clock.Elapsed.TotalMilliseconds;
        return Math.Max(1, (int)Math.Ceiling(blockMs / Math.Max(ms, 1e-3)));
    }

    private static Block TimeBlock(Action run, int runs, Stopwatch clock, bool first)
    {
        var start = clock.Elapsed.TotalMilliseconds;
        var cpu = ThreadCpuClock.Nanoseconds();
        for (var i = 0; i < runs; i++)
        {
            run();
        }
        var cpuMs = (ThreadCpuClock.Nanoseconds() - cpu) * 1e-6;
        var wallMs = clock.Elapsed.TotalMilliseconds - start;
        return new Block(start, wallMs / runs, cpuMs / runs, first);
    }
}
