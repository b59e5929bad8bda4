namespace ModelC.Training;

/// <summary>How long a <see cref="TrainingSession"/> trains, where its files go, and what it changes of the compiled optimizer.</summary>
/// <param name="Epochs">Epochs in all, counting those a resumed session already did; schedules span them.</param>
/// <param name="Output">The folder of the checkpoints (<c>checkpoints/</c>), <c>metrics.json</c>, <c>loss.svg</c> and the trained weights.</param>
public sealed record TrainingOptions(int Epochs, string Output)
{
    /// <summary>The default of <see cref="GradientBucketBytes"/>: 1 MiB (docs/distributed.md argues it).</summary>
    public const long DefaultGradientBucketBytes = 1 << 20;

    /// <summary>Seeds the order of the samples (a permutation per epoch).</summary>
    public ulong Seed { get; init; }

    /// <summary>Replaces the learning rate of the model's optimizer when given (its schedule still applies).</summary>
    public double? LearningRate { get; init; }

    /// <summary>When given, <see cref="TrainingSession.Run"/> stops after the epoch that passes this much time.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>
    /// Data-parallel training: the least bytes of gradients summed by one allreduce (a bucket; a
    /// tensor larger than this is a bucket of its own). Smaller buckets start summing earlier
    /// during the backward pass, larger ones pay the per-call latency less often. Default 1 MiB.
    /// </summary>
    public long GradientBucketBytes { get; init; } = DefaultGradientBucketBytes;
}
