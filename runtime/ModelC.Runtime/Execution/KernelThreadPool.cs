namespace ModelC.Runtime.Execution;

/// <summary>
/// Runs a kernel's parallel loop on a fixed set of threads. The loop <c>[0, extent)</c> is cut
/// into one contiguous chunk per thread; kernels compute each iteration independently (no
/// reduction crosses iterations), so the result is the same bits for any thread count.
/// The caller's thread takes chunk 0; each worker waits on its own semaphore, so a worker can
/// never take another's chunk.
/// </summary>
public sealed unsafe class KernelThreadPool : IDisposable
{
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _done;
    private readonly nint[] _scratch;
    private KernelCall _call;
    private volatile bool _disposed;

    /// <summary>Starts <paramref name="threads"/> − 1 workers; each participant gets <paramref name="scratchBytes"/> of scratch memory.</summary>
    public KernelThreadPool(int threads, long scratchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _scratch = new nint[threads];
        for (var t = 0; t < threads; t++)
        {
            _scratch[t] = scratchBytes > 0 ? (nint)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)scratchBytes, 64) : 0;
        }
        _start = [.. Enumerable.Range(1, threads - 1).Select(_ => new SemaphoreSlim(0))];
        _done = new CountdownEvent(1);
        _workers = [.. Enumerable.Range(1, threads - 1).Select(StartWorker)];
    }

    /// <summary>How many threads share each loop, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>Runs iterations <c>[0, extent)</c> of <paramref name="kernel"/> over all threads and returns when all are done.</summary>
    public void Run(nint kernel, nint* buffers, long* symbols, long extent)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (extent <= 0)
        {
            return;
        }
        var participants = (int)Math.Min(Threads, extent);
        var call = new KernelCall(kernel, buffers, symbols, extent, participants);
        if (participants == 1)
        {
            Execute(call, 0);
            return;
        }
        _call = call;
        _done.Reset(participants - 1);
        for (var t = 1; t < participants; t++)
        {
            _start[t - 1].Release();
        }
        Execute(call, 0);
        _done.Wait();
    }

    private Thread StartWorker(int index)
    {
        var thread = new Thread(() => Work(index)) { IsBackground = true, Name = $"modelc-kernel-{index}" };
        thread.Start();
        return thread;
    }

    private void Work(int index)
    {
        while (true)
        {
            _start[index - 1].Wait();
            if (_disposed)
            {
                return;
            }
            Execute(_call, index);
            _done.Signal();
        }
    }

    private void Execute(in KernelCall call, int participant)
    {
        var chunk = (call.Extent + call.Participants - 1) / call.Participants;
        var begin = Math.Min(call.Extent, participant * chunk);
        var end = Math.Min(call.Extent, begin + chunk);
        if (begin < end)
        {
            ((delegate* unmanaged<nint*, long*, long, long, nint, void>)call.Kernel)(call.Buffers, call.Symbols, begin, end, _scratch[participant]);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var start in _start)
        {
            start.Release();
        }
        foreach (var worker in _workers)
        {
            worker.Join();
        }
        foreach (var start in _start)
        {
            start.Dispose();
        }
        _done.Dispose();
        foreach (var scratch in _scratch)
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree((void*)scratch);
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
