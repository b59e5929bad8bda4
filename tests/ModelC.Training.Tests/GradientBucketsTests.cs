namespace ModelC.Training.Tests;

/// <summary>
/// The bucket layout of the overlapped allreduce: tensors in the order the gradients program
/// finishes them, each bucket closed once it holds the bucket size, contiguous in the packed buffer.
/// </summary>
public sealed class GradientBucketsTests
{
    // Finished by kernels 7, 3, 3, 9, -1 (never written): packed as e, b, c, a, d.
    private static readonly SummedTensor[] Tensors =
    [
        new("a", 100, 7),
        new("b", 300, 3),
        new("c", 50, 3),
        new("d", 10, 9),
        new("e", 1, -1),
    ];

    private static string[][] Names(IEnumerable<GradientBucket> buckets) => [.. buckets.Select(b => b.Tensors.Select(t => t.Name).ToArray())];

    [Fact]
    public void TensorsGoInTheOrderTheProgramFinishesThemAndBucketsCloseAtTheSize()
    {
        // 600 bytes are 150 floats: e + b pass them, c + a reach them, d is left over.
        var buckets = GradientBuckets.Plan(Tensors, 600);
        Assert.Equal([["e", "b"], ["c", "a"], ["d"]], Names(buckets));
        Assert.Equal([0, 301, 451], buckets.Select(b => b.Offset));
        Assert.Equal([301, 150, 10], buckets.Select(b => b.Length));
        Assert.Equal([3, 7, 9], buckets.Select(b => b.ReadyAfter));
    }

    [Fact]
    public void OneByteGivesABucketPerTensorAndAHugeSizeOneBucket()
    {
        Assert.Equal([["e"], ["b"], ["c"], ["a"], ["d"]], Names(GradientBuckets.Plan(Tensors, 1)));
        var one = Assert.Single(GradientBuckets.Plan(Tensors, long.MaxValue));
        Assert.Equal((0, 461, 9), (one.Offset, one.Length, one.ReadyAfter));
    }

    [Fact]
    public void TheLayoutIsAFunctionOfTheTensorsAndTheSize()
    {
        var first = GradientBuckets.Plan(Tensors, 400);
        var second = GradientBuckets.Plan([.. Tensors], 400);
        Assert.Equal(first.Select(b => (b.Offset, b.Length, b.ReadyAfter, string.Join(",", b.Tensors.Select(t => t.Name)))),
            second.Select(b => (b.Offset, b.Length, b.ReadyAfter, string.Join(",", b.Tensors.Select(t => t.Name)))));
    }

    [Fact]
    public void ASizeBelowOneByteIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientBuckets.Plan(Tensors, 0));
}
