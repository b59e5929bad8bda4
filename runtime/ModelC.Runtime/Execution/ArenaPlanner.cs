namespace ModelC.Runtime.Execution;

/// <summary>One block to place: its size and the kernels during which it must stay intact.</summary>
public readonly record struct ArenaRequest(long Bytes, int FirstKernel, int LastKernel);

/// <summary>
/// Places temporaries in one arena: buffers whose live ranges (in kernel order) do not overlap
/// may share memory. Largest first, each at the lowest offset that fits beside the already
/// placed buffers it overlaps in time: the classic greedy that is within a few percent of optimal
/// on network graphs.
/// </summary>
public static class ArenaPlanner
{
    /// <summary>The alignment of every block: a cache line, and enough for any vector load.</summary>
    public const long Alignment = 64;

    /// <summary>The offset of each request and the arena's total size.</summary>
    public static (long[] Offsets, long Size) Plan(IReadOnlyList<ArenaRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var offsets = new long[requests.Count];
        var placed = new List<int>();
        long size = 0;
        foreach (var i in Enumerable.Range(0, requests.Count).OrderByDescending(i => requests[i].Bytes).ThenBy(i => i))
        {
            var request = requests[i];
            var bytes = AlignUp(request.Bytes);
            var conflicts = placed
                .Where(j => requests[j].FirstKernel <= request.LastKernel && request.FirstKernel <= requests[j].LastKernel)
                .OrderBy(j => offsets[j]);
            long offset = 0;
            foreach (var j in conflicts)
            {
                if (offset + bytes <= offsets[j])
                {
                    break;
                }
                offset = Math.Max(offset, offsets[j] + AlignUp(requests[j].Bytes));
            }
            offsets[i] = offset;
            size = Math.Max(size, offset + bytes);
            placed.Add(i);
        }
        return (offsets, size);
    }

    private static long AlignUp(long bytes) => (Math.Max(bytes, 1) + Alignment - 1) / Alignment * Alignment;
}
