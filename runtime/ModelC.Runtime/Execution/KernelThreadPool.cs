namespace ModelC.Runtime.Execution;

/// <summary>
/// Runs a kernel's parallel loop on a fixed set of threads. The loop <c>[0, extent)</c> is cut
/// into one contiguous chunk per thread; kernels compute each iteration independently (no
/// reduction crosses iterations), so the result is the same bits for any thread count.
/// The caller's thread takes chunk 0; each worker waits on its own semaphore, so a worker can
/// never take another's chunk.
/// </summary>
/// <remarks>
/// The workers hold only the <see cref="Crew"/> they share, never the pool: a pool that is never
/// disposed becomes garbage, and its finalizer sends the workers home and lets the collector
/// free their scratch memory.
/// </remarks>
public sealed unsafe class KernelThreadPool : IDisposable
{
    private readonly Crew _crew;
    private readonly Thread[] _workers;
    private bool _disposed;

    /// <summary>Starts <paramref name="threads"/> − 1 workers; each participant gets <paramref name="scratchBytes"/> of scratch memory.</summary>
    public KernelThreadPool(int threads, long scratchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _crew = new Crew(threads, scratchBytes);
        var crew = _crew;
        _workers = [.. Enumerable.Range(1, threads - 1).Select(index =>
        {
            var thread = new Thread(() => crew.Work(index)) { IsBackground = true, Name = $"modelc-kernel-{index}" };
            thread.Start();
            return thread;
        })];
    }

    /// <summary>Sends the workers of a pool that was never disposed home.</summary>
    ~KernelThreadPool() => _crew.Stop();

    /// <summary>How many threads share each loop, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>Runs iterations <c>[0, extent)</c> of <paramref name="kernel"/> over all threads and returns when all are done.</summary>
    public void Run(nint kernel, nint* buffers, long* symbols, long extent)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (extent > 0)
        {
            _crew.Run(new KernelCall(kernel, buffers, symbols, extent, (int)Math.Min(Threads, extent)));
        }
        // Not finalized while its workers run a loop.
        GC.KeepAlive(this);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _crew.Stop();
        foreach (var worker in _workers)
        {
            worker.Join();
        }
        _crew.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>What the caller's thread and the workers share: the call, the signals and the scratch memory.</summary>
    private sealed class Crew : IDisposable
    {
        private readonly SemaphoreSlim[] _start;
        private readonly CountdownEvent _done = new(1);
        private readonly NativeBlock?[] _scratch;
        private KernelCall _call;
        private volatile bool _stopped;

        public Crew(int threads, long scratchBytes)
        {
            _scratch = [.. Enumerable.Range(0, threads).Select(_ => scratchBytes > 0 ? new NativeBlock(scratchBytes, ArenaPlanner.Alignment) : null)];
            _start = [.. Enumerable.Range(1, threads - 1).Select(_ => new SemaphoreSlim(0))];
        }

        public void Run(in KernelCall call)
        {
            if (call.Participants == 1)
            {
                Execute(call, 0);
                return;
            }
            _call = call;
            _done.Reset(call.Participants - 1);
            for (var t = 1; t < call.Participants; t++)
            {
                _start[t - 1].Release();
            }
            Execute(call, 0);
            _done.Wait();
        }

        public void Work(int index)
        {
            while (true)
            {
                _start[index - 1].Wait();
                if (_stopped)
                {
                    return;
                }
                Execute(_call, index);
                _done.Signal();
            }
        }

        // Each worker wakes, sees the flag and returns.
        public void Stop()
        {
            _stopped = true;
            foreach (var start in _start)
            {
                start.Release();
            }
        }

        // Only once the workers have returned.
        public void Dispose()
        {
            foreach (var start in _start)
            {
                start.Dispose();
            }
            _done.Dispose();
            foreach (var scratch in _scratch)
            {
                scratch?.Dispose();
            }
        }

        private void Execute(in KernelCall call, int participant)
        {
            var chunk = (call.Extent + call.Participants - 1) / call.Participants;
            var begin = Math.Min(call.Extent, participant * chunk);
            var end = Math.Min(call.Extent, begin + chunk);
            if (begin < end)
            {
                ((delegate* unmanaged<nint*, long*, long, long, nint, void>)call.Kernel)(call.Buffers, call.Symbols, begin, end, _scratch[participant]?.Address ?? 0);
            }
        }
    }

    private readonly struct KernelCall(nint kernel, nint* buffers, long* symbols, long extent, int participants)
    {
        public nint Kernel { get; } = kernel;

        public nint* Buffers { get; } = buffers;

        public long* Symbols { get; } = symbols;

        public long Extent { get; } = extent;

        public int Participants { get; } = participants;
    }
}
