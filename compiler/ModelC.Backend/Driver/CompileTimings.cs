using System.Collections.Immutable;
using System.Diagnostics;
using ModelC.Compiler.Passes;

namespace ModelC.Backend.Driver;

/// <summary>
/// Where a compile's time went, filled by the driver as it runs (<see cref="CompileOptions.Timings"/>)
/// and by the front end before it (<see cref="CompilePhase.ParseAndBind"/>, <see cref="CompilePhase.Elaboration"/>):
/// wall time per <see cref="CompilePhase"/> (the LLVM phases: the compiling thread's CPU time, see
/// <see cref="Targets.CodeGenerationTimes"/>), each program's graph passes, and each distinct kernel's
/// code generation. Phases that run per kernel or per program are summed over them, so on several
/// workers their sum exceeds the wall time. Safe to fill from the compile's worker threads.
/// </summary>
public sealed class CompileTimings
{
    private readonly Lock _lock = new();
    private readonly Dictionary<CompilePhase, TimeSpan> _phases = [];
    private readonly List<(string Program, ImmutableArray<PassRecord> Passes)> _pipelines = [];
    private readonly List<KernelCompileTime> _kernels = [];

    /// <summary>The time recorded for each phase that ran, in pipeline order.</summary>
    public IReadOnlyList<(CompilePhase Phase, TimeSpan Elapsed)> Phases
    {
        get
        {
            lock (_lock)
            {
                return [.. _phases.OrderBy(p => p.Key).Select(p => (p.Key, p.Value))];
            }
        }
    }

    /// <summary>Each program's graph pass pipeline (autodiff among its passes), in the order they ran.</summary>
    public IReadOnlyList<(string Program, ImmutableArray<PassRecord> Passes)> Pipelines
    {
        get
        {
            lock (_lock)
            {
                return [.. _pipelines];
            }
        }
    }

    /// <summary>Every distinct kernel and support routine compiled (those from the cache cost nothing and are absent).</summary>
    public IReadOnlyList<KernelCompileTime> Kernels
    {
        get
        {
            lock (_lock)
            {
                return [.. _kernels];
            }
        }
    }

    /// <summary>Adds <paramref name="elapsed"/> to <paramref name="phase"/>.</summary>
    public void Add(CompilePhase phase, TimeSpan elapsed)
    {
        lock (_lock)
        {
            Accumulate(phase, elapsed);
        }
    }

    /// <summary>Runs <paramref name="work"/>, adding its wall time to <paramref name="phase"/> of <paramref name="timings"/> when there are timings to fill.</summary>
    public static T Time<T>(CompileTimings? timings, CompilePhase phase, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var start = Stopwatch.GetTimestamp();
        var result = work();
        timings?.Add(phase, Stopwatch.GetElapsedTime(start));
        return result;
    }

    /// <summary>Records the graph passes that made <paramref name="program"/> (e.g. "train step").</summary>
    public void AddPipeline(string program, ImmutableArray<PassRecord> passes)
    {
        ArgumentNullException.ThrowIfNull(program);
        lock (_lock)
        {
            _pipelines.Add((program, passes));
        }
    }

    /// <summary>Records one kernel's code generation, adding its stages to the LLVM phases.</summary>
    public void AddKernel(KernelCompileTime kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        lock (_lock)
        {
            _kernels.Add(kernel);
            Accumulate(CompilePhase.LlvmIr, kernel.Times.Emit);
            Accumulate(CompilePhase.LlvmOptimisation, kernel.Times.Optimise);
            Accumulate(CompilePhase.LlvmCodeGeneration, kernel.Times.CodeGeneration);
        }
    }

    // Under the lock.
    private void Accumulate(CompilePhase phase, TimeSpan elapsed) => _phases[phase] = _phases.GetValueOrDefault(phase) + elapsed;
}
