using System.Runtime.ExceptionServices;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Driver;

/// <summary>
/// Turns distinct kernels and support routines into object code on worker threads: each worker takes the next job,
/// reads its object from the cache or compiles it with a code generator of its own, and stores
/// what it compiled. A job's object depends on the job alone, so any number of workers gives the
/// same objects as one.
/// </summary>
internal static class KernelBatch
{
    // LLVM's passes recurse over deep expression trees; worker threads get the main thread's room.
    private const int StackBytes = 64 * 1024 * 1024;

    /// <summary>The object of every job, by key, and the keys of those that came from the cache.</summary>
    /// <exception cref="Llvm.LlvmException">A kernel failed to compile (the first failure is rethrown; the other workers stop).</exception>
    public static (Dictionary<KernelKey, KernelObject> Objects, IReadOnlySet<KernelKey> FromCache) Compile(
        IReadOnlyList<ObjectJob> jobs, ICompileTarget target, CompileCache? cache, int parallelism, IProgress<CompileProgress>? progress = null, CompileTimings? timings = null)
    {
        if (jobs.Count == 0)
        {
            return ([], new HashSet<KernelKey>());
        }
        var ordered = jobs.OrderBy(j => j.Order).ThenByDescending(j => j.Size).ToArray();
        var objects = new KernelObject[ordered.Length];
        var cached = new bool[ordered.Length];
        var next = -1;
        var done = 0;
        ExceptionDispatchInfo? failure = null;
        void Work()
        {
            IKernelCodeGenerator? generator = null;
            try
            {
                int i;
                while (Volatile.Read(ref failure) is null && (i = Interlocked.Increment(ref next)) < ordered.Length)
                {
                    var job = ordered[i];
                    if (cache?.TryRead(job.Key) is { } code)
                    {
                        cached[i] = true;
                    }
                    else
                    {
                        generator ??= target.CreateCodeGenerator(measure: timings is not null);
                        var compiled = job.Compile(generator);
                        code = compiled.Bytes;
                        if (timings is not null && compiled.Times is { } times)
                        {
                            timings.AddKernel(new KernelCompileTime(job.Key.Symbol, job.Origin, times));
                        }
                        cache?.Write(job.Key, code);
                    }
                    objects[i] = new KernelObject(job.Key, code);
                    progress?.Report(new CompileProgress(Interlocked.Increment(ref done), ordered.Length));
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                generator?.Dispose();
            }
        }

        var workers = Enumerable.Range(0, Math.Clamp(parallelism, 1, ordered.Length))
            .Select(_ => new Thread(Work, StackBytes) { IsBackground = true, Name = "modelc-compile" })
            .ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }
        failure?.Throw();
        return (objects.ToDictionary(o => o.Key), ordered.Where((_, i) => cached[i]).Select(j => j.Key).ToHashSet());
    }
}
