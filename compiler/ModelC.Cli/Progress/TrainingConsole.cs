using System.Globalization;
using ModelC.Runtime.Manifest;
using ModelC.Training;

namespace ModelC.Cli.Progress;

/// <summary>
/// What <c>modelc train</c> prints: one line per stage and per epoch on standard output, and the
/// progress bar of each epoch on the progress writer (standard error).
/// </summary>
internal sealed class TrainingConsole(TextWriter output, TextWriter progress, bool interactive) : ITrainingProgress
{
    private readonly ProgressBar _bar = new(progress, interactive);
    private int _epoch, _epochs;

    /// <summary>The model's train step and evaluation program were compiled, or loaded as a cache kept them (<paramref name="fromCache"/>).</summary>
    public void Compiled(string model, int kernels, TimeSpan elapsed, bool fromCache, long parameters, OptimizerSpec optimizer) => output.WriteLine(Invariant(
        $"{model}: {(fromCache ? "loaded" : "compiled")} the train step ({kernels} kernels) and its evaluation{(fromCache ? " from the cache" : "")} in {elapsed.TotalSeconds:F1} s; {parameters:N0} parameters, {Describe(optimizer)}"));

    /// <summary>The data was read and checked against the model's inputs.</summary>
    public void DataReady(TrainingSession session) => output.WriteLine(
        $"data: {session.Data.Description}: {session.Data.Train.Count} training, {session.Data.Validation?.Count ?? 0} validation samples; {session.StepsPerEpoch} steps of {session.BatchSize} per epoch");

    /// <summary>
    /// The run was data-parallel over <paramref name="ranks"/> MPI ranks, summing the gradients in
    /// <paramref name="buckets"/> allreduce calls a step: <paramref name="reduce"/> is rank 0's time
    /// in them (waiting for the others included), <paramref name="waited"/> the part its steps
    /// waited for after their gradients were computed.
    /// </summary>
    public void DataParallel(int ranks, int shard, int buckets, TimeSpan reduce, TimeSpan waited) => output.WriteLine(Invariant(
        $"data-parallel over {ranks} MPI ranks, shards of {shard}, {buckets} gradient buckets: allreduce took {reduce.TotalSeconds:F3} s in all, {waited.TotalSeconds:F3} s of it not overlapped with the backward pass"));

    /// <summary>The session continues from checkpoint <paramref name="path"/>.</summary>
    public void Resumed(string path, int epoch) => output.WriteLine($"resuming from {path} after epoch {epoch}");

    /// <inheritdoc/>
    public void EpochStarted(int epoch, int epochs, int steps)
    {
        (_epoch, _epochs) = (epoch, epochs);
        _bar.Start(Invariant($"epoch {epoch}/{epochs}"), steps);
    }

    /// <inheritdoc/>
    public void StepFinished(int step, double meanLoss) => _bar.Report(step, meanLoss, remainingEpochs: _epochs - _epoch);

    /// <inheritdoc/>
    public void EpochFinished(EpochRecord record)
    {
        _bar.Finish();
        output.WriteLine(Invariant(
            $"epoch {record.Epoch}/{_epochs}: train loss {record.TrainLoss:G6}{(record.ValidationLoss is { } v ? $", validation loss {v:G6}" : "")}{(record.ValidationAccuracy is { } a ? $", accuracy {a:P2}" : "")}, lr {LearningRate(record.LearningRate)}, {record.Seconds:F1} s"));
    }

    /// <summary>Training stopped in the middle of an epoch: clears its bar.</summary>
    public void Interrupted() => _bar.Finish();

    /// <summary>The run is over: why it stopped early, the test result, the files written.</summary>
    public void Finished(TrainingResult result, int testSamples, TimeSpan? timeLimit)
    {
        var report = result.Report;
        if (report.StoppedEarly && timeLimit is { } limit)
        {
            output.WriteLine($"stopping after epoch {report.Epochs[^1].Epoch}: the time limit of {ProgressBar.Format(limit)} has passed");
        }
        if (report.Test is { } test)
        {
            output.WriteLine(Invariant($"test: loss {test.Loss:G6}{(test.Accuracy is { } a ? $", accuracy {a:P2}" : "")} over {testSamples} samples"));
        }
        output.WriteLine($"wrote {result.WeightsPath}, {result.MetricsPath} and {result.LossCurvePath}");
    }

    private static string Describe(OptimizerSpec o) => Invariant(
        $"{o.Kind.ToString().ToLowerInvariant()}(lr {LearningRate(o.LearningRate)}{(o.WeightDecay > 0 ? $", weight decay {o.WeightDecay:G3}" : "")}{(o.Clip > 0 ? $", clip {o.Clip:G3}" : "")}), {(o.Schedule.Kind == ScheduleKind.OneCycle ? "one_cycle" : o.Schedule.Kind.ToString().ToLowerInvariant())} schedule");

    /// <summary>A learning rate as the .mdl source writes one, the same at every size: <c>1e-3</c>, <c>2.5e-4</c>, <c>0</c>.</summary>
    public static string LearningRate(double rate) => rate == 0 ? "0" : rate.ToString("0.##e-0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
