namespace ModelC.Backend.Driver;

/// <summary>How <see cref="ModelCompiler"/> compiles.</summary>
public sealed record CompileOptions
{
    /// <summary>The form of the code (default: loaded in process).</summary>
    public CodeForm Code { get; init; } = CodeForm.InProcess;

    /// <summary>The object cache to read and fill, or null to compile every kernel (default: <see cref="CompileCache.Default"/>).</summary>
    public CompileCache? Cache { get; init; } = CompileCache.Default;

    /// <summary>How many kernels compile at once (default: the processor count).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Told each time a distinct kernel has its object code, from the worker threads (default: nobody).</summary>
    public IProgress<CompileProgress>? Progress { get; init; }

    /// <summary>Where to record the time of each phase and kernel (<c>--timings</c>), or null to record nothing (default).</summary>
    public CompileTimings? Timings { get; init; }
}
