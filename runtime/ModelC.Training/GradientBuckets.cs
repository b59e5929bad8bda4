using System.Collections.Immutable;
using ModelC.Runtime.Manifest;

namespace ModelC.Training;

/// <summary>
/// Groups the summed tensors into buckets for the overlapped allreduce. The tensors are taken in
/// the order the gradients program finishes them (by their last writing kernel; ties in the
/// order given) and appended to the open bucket, which closes once it holds at least the bucket
/// size: the last layers' gradients, computed first by the backward pass, are summed while the
/// first layers' are still computed. The layout depends only on the program's manifest and the
/// bucket size, so every rank of a job computes the same one.
/// </summary>
internal static class GradientBuckets
{
    /// <summary>The buckets of <paramref name="tensors"/> of the gradients program <paramref name="manifest"/>, <paramref name="bucketBytes"/> bytes each at least (the last may hold less).</summary>
    public static ImmutableArray<GradientBucket> Plan(ModelManifest manifest, IEnumerable<(string Name, int Length)> tensors, long bucketBytes)
    {
        var buffers = manifest.Tensors.ToDictionary(t => t.Name, t => t.Buffer, StringComparer.Ordinal);
        // Every kernel writes exactly one buffer, the first it receives.
        var lastWriter = new Dictionary<int, int>();
        for (var k = 0; k < manifest.Kernels.Length; k++)
        {
            lastWriter[manifest.Kernels[k].Buffers[0]] = k;
        }
        return Plan([.. tensors.Select(t => new SummedTensor(t.Name, t.Length, lastWriter.GetValueOrDefault(buffers[t.Name], -1)))], bucketBytes);
    }

    /// <summary>The buckets of <paramref name="tensors"/>, <paramref name="bucketBytes"/> bytes each at least (the last may hold less).</summary>
    public static ImmutableArray<GradientBucket> Plan(IReadOnlyList<SummedTensor> tensors, long bucketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketBytes, 1);
        var buckets = ImmutableArray.CreateBuilder<GradientBucket>();
        var open = new List<SummedTensor>();
        var offset = 0;
        var length = 0;
        // OrderBy is a stable sort: equal finishing kernels keep the given order.
        foreach (var tensor in tensors.OrderBy(t => t.FinishedBy))
        {
            open.Add(tensor);
            length += tensor.Length;
            if ((long)length * sizeof(float) >= bucketBytes)
            {
                Close();
            }
        }
        if (open.Count > 0)
        {
            Close();
        }
        return buckets.ToImmutable();

        void Close()
        {
            buckets.Add(new GradientBucket([.. open], offset, length, open[^1].FinishedBy));
            offset += length;
            length = 0;
            open.Clear();
        }
    }
}
