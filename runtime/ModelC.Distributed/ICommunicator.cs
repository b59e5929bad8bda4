namespace ModelC.Distributed;

/// <summary>
/// The processes (ranks) of one job and the collective operations data-parallel training needs.
/// Every rank must call each collective in the same order with buffers of the same length.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, from 0.</summary>
    int Rank { get; }

    /// <summary>The number of ranks.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by their element-wise sum over all ranks.</summary>
    void AllreduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by rank <paramref name="root"/>'s.</summary>
    void Broadcast(Span<float> values, int root = 0);

    /// <summary>Replaces <paramref name="bytes"/> on every rank by rank <paramref name="root"/>'s.</summary>
    void Broadcast(Span<byte> bytes, int root = 0);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();

    /// <summary>Ends every process of the job with <paramref name="exitCode"/>; does not return.</summary>
    void Abort(int exitCode);
}
