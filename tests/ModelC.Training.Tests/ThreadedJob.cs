using ModelC.Distributed;

namespace ModelC.Training.Tests;

/// <summary>
/// A job of <c>size</c> ranks in one process, one thread each, whose collectives meet at a
/// barrier: the data-parallel session under test without MPI. Allreduce sums the ranks' buffers
/// in rank order, as a two-rank MPI job does.
/// </summary>
internal sealed class ThreadedJob(int size)
{
    private readonly Barrier _meeting = new(size);
    private readonly float[]?[] _floats = new float[size][];
    private readonly byte[]?[] _bytes = new byte[size][];

    /// <summary>Runs <paramref name="rank"/> on each of the job's ranks, each on its own thread, and returns their results by rank.</summary>
    public T[] Run<T>(Func<ICommunicator, T> rank)
    {
        var tasks = Enumerable.Range(0, size).Select(r => Task.Factory.StartNew(() => rank(new Rank(this, r)), TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(tasks);
        return [.. tasks.Select(t => t.Result)];
    }

    private sealed class Rank(ThreadedJob job, int rank) : ICommunicator
    {
        int ICommunicator.Rank => rank;

        public int Size => job._floats.Length;

        public void AllreduceSum(Span<float> values)
        {
            job._floats[rank] = values.ToArray();
            job._meeting.SignalAndWait();
            for (var i = 0; i < values.Length; i++)
            {
                var sum = 0f;
                foreach (var contribution in job._floats)
                {
                    sum += contribution![i];
                }
                values[i] = sum;
            }
            job._meeting.SignalAndWait();
        }

        public void Broadcast(Span<float> values, int root = 0)
        {
            job._floats[rank] = values.ToArray();
            job._meeting.SignalAndWait();
            job._floats[root].AsSpan().CopyTo(values);
            job._meeting.SignalAndWait();
        }

        public void Broadcast(Span<byte> bytes, int root = 0)
        {
            job._bytes[rank] = bytes.ToArray();
            job._meeting.SignalAndWait();
            job._bytes[root].AsSpan(0, bytes.Length).CopyTo(bytes);
            job._meeting.SignalAndWait();
        }

        public void Barrier() => job._meeting.SignalAndWait();

        public void Abort(int exitCode) => throw new InvalidOperationException($"rank {rank} aborted the job with {exitCode}");

        public void Dispose()
        {
        }
    }
}
