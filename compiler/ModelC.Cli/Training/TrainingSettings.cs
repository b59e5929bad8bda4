namespace ModelC.Cli.Training;

/// <summary>The options of <c>modelc train</c>.</summary>
/// <param name="Data">A data file or a synthetic set.</param>
/// <param name="TestData">A test file (synthetic sets make their own).</param>
/// <param name="Epochs">Epochs to train (in all, counting those a resumed run already did).</param>
/// <param name="Batch">The batch size.</param>
/// <param name="Seed">Seeds the parameters, the synthetic data, the split and the shuffling.</param>
/// <param name="LearningRate">Replaces the optimizer's learning rate when given.</param>
/// <param name="Samples">Samples of a synthetic set (training and validation).</param>
/// <param name="TestSamples">Samples of a synthetic test set.</param>
/// <param name="ValidationFraction">The part of the data held out for validation.</param>
/// <param name="Output">Where checkpoints, metrics and the loss curve go.</param>
/// <param name="Resume">Resume from the newest checkpoint in <paramref name="Output"/>.</param>
/// <param name="Threads">Threads per kernel.</param>
/// <param name="TimeLimit">Stop after the epoch that passes this much time.</param>
internal sealed record TrainingSettings(
    string Data,
    string? TestData,
    int Epochs,
    int Batch,
    ulong Seed,
    double? LearningRate,
    int Samples,
    int TestSamples,
    double ValidationFraction,
    string Output,
    bool Resume,
    int Threads,
    TimeSpan? TimeLimit);
