namespace ModelC.Distributed;

/// <summary>
/// Open MPI's <c>MPI_COMM_WORLD</c>: every process <c>mpirun</c> started. Joining initialises MPI
/// (once per process, thread level <c>MPI_THREAD_SERIALIZED</c>: any thread may call MPI, one at a
/// time, as the training session's communication thread does); disposing finalises it. MPI's default error handler stays: a failed call, or a rank that
/// dies, ends the whole job rather than leaving the others waiting.
/// </summary>
public sealed unsafe class MpiWorld : ICommunicator
{
    private const int ThreadSerialized = 2;
    private readonly MpiLibrary _mpi;
    private bool _disposed;

    private MpiWorld(MpiLibrary mpi)
    {
        _mpi = mpi;
        int rank, size;
        MpiLibrary.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        MpiLibrary.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <summary>Loads Open MPI, initialises it unless it is already, and returns the world.</summary>
    /// <exception cref="MpiException">Open MPI cannot be loaded, or its initialisation failed.</exception>
    public static MpiWorld Join()
    {
        var mpi = MpiLibrary.Instance;
        int initialized, finalized;
        MpiLibrary.Check(mpi.Initialized(&initialized), "MPI_Initialized");
        MpiLibrary.Check(mpi.Finalized(&finalized), "MPI_Finalized");
        if (finalized != 0)
        {
            throw new MpiException("MPI was finalised in this process; it cannot be initialised again");
        }
        if (initialized == 0)
        {
            int provided;
            MpiLibrary.Check(mpi.InitThread(null, 0, ThreadSerialized, &provided), "MPI_Init_thread");
            if (provided < ThreadSerialized)
            {
                // The training session sums gradients on a thread of its own.
                throw new MpiException($"{mpi.Name} provides thread level {provided}, below MPI_THREAD_SERIALIZED ({ThreadSerialized}), which the overlapped allreduce needs");
            }
        }
        return new MpiWorld(mpi);
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public void AllreduceSum(Span<float> values)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (float* data = values)
        {
            MpiLibrary.Check(_mpi.Allreduce(MpiLibrary.InPlace, data, values.Length, _mpi.Float, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce");
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<float> values, int root = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckRoot(root);
        fixed (float* data = values)
        {
            MpiLibrary.Check(_mpi.Bcast(data, values.Length, _mpi.Float, root, _mpi.CommWorld), "MPI_Bcast");
        }
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> bytes, int root = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckRoot(root);
        fixed (byte* data = bytes)
        {
            MpiLibrary.Check(_mpi.Bcast(data, bytes.Length, _mpi.Byte, root, _mpi.CommWorld), "MPI_Bcast");
        }
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MpiLibrary.Check(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");
    }

    /// <inheritdoc/>
    public void Abort(int exitCode)
    {
        _mpi.Abort(_mpi.CommWorld, exitCode);
        // MPI_Abort does not return; should it, the process still ends.
        Environment.Exit(exitCode);
    }

    /// <summary>Finalises MPI (every rank must dispose its world: <c>MPI_Finalize</c> is collective).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        MpiLibrary.Check(_mpi.Finalize(), "MPI_Finalize");
    }

    private void CheckRoot(int root) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)root, (uint)Size, nameof(root));
}
