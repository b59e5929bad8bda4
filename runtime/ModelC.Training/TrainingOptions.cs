namespace ModelC.Training;

/// <summary>How long a <see cref="TrainingSession"/> trains, where its files go, and what it changes of the compiled optimizer.</summary>
/// <param name="Epochs">Epochs in all, counting those a resumed session already did; schedules span them.</param>
/// <param name="Output">The folder of the checkpoints (<c>checkpoints/</c>), <c>metrics.json</c>, <c>loss.svg</c> and the trained weights.</param>
public sealed record TrainingOptions(int Epochs, string Output)
{
    /// <summary>Seeds the order of the samples (a permutation per epoch).</summary>
    public ulong Seed { get; init; }

    /// <summary>Replaces the learning rate of the model's optimizer when given (its schedule still applies).</summary>
    public double? LearningRate { get; init; }

    /// <summary>When given, <see cref="TrainingSession.Run"/> stops after the epoch that passes this much time.</summary>
    public TimeSpan? TimeLimit { get; init; }
}
