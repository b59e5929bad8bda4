using System.Collections.Immutable;
using System.Diagnostics;
using ModelC.Distributed;

namespace ModelC.Training;

/// <summary>
/// Sums the buckets of a packed buffer over the ranks on a communication thread of its own, so
/// that the step's thread goes on running kernels while a bucket is being summed. The step's
/// thread packs bucket j and calls <see cref="Start"/>; the communication thread runs one
/// blocking allreduce per bucket, in bucket order (the order every rank calls them in);
/// <see cref="WaitAll"/> returns when every bucket of the step has been summed. Between
/// <see cref="Start"/> of the first bucket and the return of <see cref="WaitAll"/> only the
/// communication thread calls the communicator, and the handover through a lock orders the two
/// threads' calls, as MPI's <c>MPI_THREAD_SERIALIZED</c> requires.
/// </summary>
internal sealed class BucketReducer : IDisposable
{
    private readonly ICommunicator _communicator;
    private readonly float[] _packed;
    private readonly ImmutableArray<GradientBucket> _buckets;
    private Thread? _thread;
    private readonly object _gate = new();
    // Buckets of this step started and summed so far; the communication thread's failure.
    private int _started, _summed;
    private Exception? _failure;
    private bool _stopping;
    private long _reduceTicks;

    public BucketReducer(ICommunicator communicator, float[] packed, ImmutableArray<GradientBucket> buckets)
    {
        _communicator = communicator;
        _packed = packed;
        _buckets = buckets;
    }

    /// <summary>The communication thread's time in the allreduce calls, over all steps (waiting for the other ranks included).</summary>
    public TimeSpan ReduceTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _reduceTicks));

    /// <summary>
    /// Test hook: called on the communication thread with a bucket's index just before its
    /// allreduce, so that a test can see which buckets are summed while kernels still run.
    /// </summary>
    internal Action<int>? Reducing { get; set; }

    /// <summary>Lets bucket <paramref name="bucket"/>, packed, be summed; buckets start in order, each once per step.</summary>
    public void Start(int bucket)
    {
        if (_thread is null)
        {
            // Started by the first step, so that a session that fails to start leaves no thread.
            _thread = new Thread(Reduce) { IsBackground = true, Name = "modelc allreduce" };
            _thread.Start();
        }
        lock (_gate)
        {
            Debug.Assert(bucket == _started, "buckets start in order");
            _started = bucket + 1;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until every bucket of the step has been summed, and readies the reducer for the next step.</summary>
    /// <exception cref="InvalidOperationException">The communication thread failed.</exception>
    public void WaitAll()
    {
        lock (_gate)
        {
            while (_summed < _buckets.Length && _failure is null)
            {
                Monitor.Wait(_gate);
            }
            if (_failure is not null)
            {
                throw new InvalidOperationException($"summing the gradients over the ranks failed: {_failure.Message}", _failure);
            }
            _started = _summed = 0;
        }
    }

    private void Reduce()
    {
        while (true)
        {
            int bucket;
            lock (_gate)
            {
                while (_summed == _started && !_stopping)
                {
                    Monitor.Wait(_gate);
                }
                if (_stopping)
                {
                    return;
                }
                bucket = _summed;
            }
            try
            {
                Reducing?.Invoke(bucket);
                var span = _buckets[bucket];
                var started = Stopwatch.GetTimestamp();
                _communicator.AllreduceSum(_packed.AsSpan(span.Offset, span.Length));
                Interlocked.Add(ref _reduceTicks, Stopwatch.GetTimestamp() - started);
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _failure = e;
                    Monitor.PulseAll(_gate);
                }
                return;
            }
            lock (_gate)
            {
                _summed++;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Ends the communication thread; one still blocked in a collective (a step that failed halfway) is left to end with the process.</summary>
    public void Dispose()
    {
        bool idle;
        lock (_gate)
        {
            _stopping = true;
            idle = _summed == _started || _failure is not null;
            Monitor.PulseAll(_gate);
        }
        if (idle)
        {
            _thread?.Join();
        }
    }
}
