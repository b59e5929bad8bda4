using System.Text.Json;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Training.Tests;

/// <summary>
/// The example MLP trained through the library alone, as an app would: it learns, reports its
/// progress in order, writes its files, resumes bit for bit, stops at its time limit and on a
/// diverging loss.
/// </summary>
public sealed class TrainingSessionTests(CompiledMlp mlp) : IClassFixture<CompiledMlp>, IDisposable
{
    private const int Batch = 32;
    private readonly TempDirectory _folder = new();

    private static TrainingData Digits() =>
        TrainingData.Split(BandedDigits.Create(704, seed: 1), validationFraction: 1.0 / 11, seed: 3, test: BandedDigits.Create(50, seed: 2), "banded digits");

    private TrainingSession Session(Runtime.Execution.ModelInstance trainStep, string output, int epochs, double? learningRate = null, TimeSpan? timeLimit = null) =>
        new(trainStep, Digits(), new TrainingOptions(epochs, _folder.File(output)) { Seed = 5, LearningRate = learningRate, TimeLimit = timeLimit }, mlp.Programs.Evaluation());

    [Fact]
    public void TheExampleMlpLearnsAndTheRunWritesItsFiles()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch, seed: 7);
        using var session = Session(trainStep, "run", epochs: 3);
        var progress = new RecordedProgress();

        var result = session.Run(progress);

        Assert.Equal((Batch, 20, 640, 64), (session.BatchSize, session.StepsPerEpoch, session.Data.Train.Count, session.Data.Validation!.Count));
        var epochs = result.Report.Epochs;
        Assert.Equal([1, 2, 3], epochs.Select(e => e.Epoch));
        Assert.True(epochs[2].TrainLoss < 0.5 * epochs[0].TrainLoss, string.Join(", ", epochs));
        Assert.True(epochs[2].ValidationLoss < epochs[0].ValidationLoss, string.Join(", ", epochs));
        Assert.True(result.Report.Test!.Accuracy > 0.5, result.Report.Test.ToString());
        Assert.Equal(("logits", "y"), (session.Metric!.Scores, session.Metric.Labels));
        // Each epoch: started, one report per step with the running mean, finished with its record.
        Assert.Equal(3 * (1 + 20 + 1), progress.Events.Count);
        Assert.Equal("start 2/3 (20 steps)", progress.Events[22]);
        Assert.Equal($"finish {epochs[1]}", progress.Events[43]);
        Assert.Equal(["epoch-0002.safetensors", "epoch-0003.safetensors"], Directory.GetFiles(session.Checkpoints.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(_folder.File(Path.Combine("run", "Mlp.safetensors")), result.WeightsPath);
        Assert.DoesNotContain(SafetensorsFile.Read(result.WeightsPath).Tensors.Keys, k => k.StartsWith(ModelCheckpoint.OptimizerPrefix, StringComparison.Ordinal));
        using var metrics = JsonDocument.Parse(File.ReadAllText(result.MetricsPath));
        Assert.Equal(3, metrics.RootElement.GetProperty("epochs").GetArrayLength());
        Assert.Equal(result.Report.Test.Accuracy, metrics.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble());
        Assert.StartsWith("<svg", File.ReadAllText(result.LossCurvePath), StringComparison.Ordinal);
    }

    [Fact]
    public void AResumedSessionGivesTheLossesAndWeightsOfAnUninterruptedOneBitForBit()
    {
        using var straightStep = mlp.Programs.TrainStep(Batch, seed: 7);
        using var straight = Session(straightStep, "straight", epochs: 3);
        straight.Run();

        using (var firstStep = mlp.Programs.TrainStep(Batch, seed: 7))
        using (var first = Session(firstStep, "resumed", epochs: 3))
        {
            // As if killed during epoch 3: its checkpoint was never written.
            for (var epoch = 1; epoch <= 2; epoch++)
            {
                first.TrainEpoch();
                first.SaveCheckpoint();
            }
        }
        using var resumedStep = mlp.Programs.TrainStep(Batch, seed: 99);
        using var resumed = Session(resumedStep, "resumed", epochs: 3);
        Assert.EndsWith("epoch-0002.safetensors", resumed.Resume(), StringComparison.Ordinal);
        Assert.Equal(2, resumed.History.Count);
        resumed.Run();

        Assert.Equal(Losses(straight.History), Losses(resumed.History));
        foreach (var name in straightStep.Manifest.Tensors.Where(t => t.Role is Runtime.Manifest.TensorRole.Parameter or Runtime.Manifest.TensorRole.State).Select(t => t.Name))
        {
            Assert.True(straightStep.Floats(name).SequenceEqual(resumedStep.Floats(name)), $"{name} differs after resuming");
        }
    }

    [Fact]
    public void ResumingFromAnotherModelsCheckpointIsRefused()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = Session(trainStep, "other", epochs: 1);
        Directory.CreateDirectory(session.Checkpoints.Folder);
        ModelCheckpoint.Save(trainStep, Path.Combine(session.Checkpoints.Folder, "epoch-0001.safetensors"), new Dictionary<string, string> { ["modelc.model"] = "Other" });

        var e = Assert.Throws<InvalidOperationException>(() => session.Resume());
        Assert.Equal($"{Path.Combine(session.Checkpoints.Folder, "epoch-0001.safetensors")} is a checkpoint of model Other, not Mlp", e.Message);
    }

    [Fact]
    public void AMalformedHistoryInACheckpointIsRefusedWithItsPath()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = Session(trainStep, "history", epochs: 1);
        var path = Path.Combine(session.Checkpoints.Folder, "epoch-0001.safetensors");
        Directory.CreateDirectory(session.Checkpoints.Folder);
        ModelCheckpoint.Save(trainStep, path, new Dictionary<string, string> { ["modelc.model"] = "Mlp", ["modelc.history"] = "[{" });

        var e = Assert.Throws<InvalidOperationException>(() => session.Resume());
        Assert.StartsWith($"{path}: the training history in its metadata is malformed: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTimeLimitStopsTheRunAfterTheEpochThatPassesIt()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = Session(trainStep, "limited", epochs: 3, timeLimit: TimeSpan.FromTicks(1));

        var result = session.Run();

        Assert.True(result.Report.StoppedEarly);
        Assert.Single(result.Report.Epochs);
        Assert.NotNull(result.Report.Test);
        using var metrics = JsonDocument.Parse(File.ReadAllText(result.MetricsPath));
        Assert.True(metrics.RootElement.GetProperty("stopped_early").GetBoolean());
        Assert.True(File.Exists(result.WeightsPath));
    }

    [Fact]
    public void ACancelledEpochEndsBetweenStepsAndIsNotRecorded()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = Session(trainStep, "cancelled", epochs: 2);
        using var stop = new CancellationTokenSource();
        var progress = new CancelAfter(stop, step: 3);

        Assert.Throws<OperationCanceledException>(() => session.Run(progress, stop.Token));

        Assert.Equal(3, progress.Steps);
        Assert.Empty(session.History);
        Assert.Null(session.Checkpoints.Latest());
    }

    // Cancels when the given step has finished.
    private sealed class CancelAfter(CancellationTokenSource stop, int step) : ITrainingProgress
    {
        public int Steps { get; private set; }

        public void StepFinished(int done, double meanLoss)
        {
            Steps = done;
            if (done == step)
            {
                stop.Cancel();
            }
        }
    }

    [Fact]
    public void AnInfiniteLossStopsTrainingAtItsStep()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = Session(trainStep, "diverged", epochs: 1, learningRate: 1e30);

        var e = Assert.Throws<TrainingDivergedException>(() => session.TrainEpoch());

        Assert.Equal(1, e.Epoch);
        Assert.True(e.Step >= 2 && !float.IsFinite(e.Loss), e.Message);
        Assert.Equal(1e30, e.LearningRate);
        Assert.StartsWith($"the loss became {e.Loss} at epoch 1, step {e.Step} (learning rate 1E+30)", e.Message, StringComparison.Ordinal);
        Assert.Empty(session.History);
    }

    [Fact]
    public void DataWithLessThanOneBatchIsRefused()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        var data = new TrainingData(BandedDigits.Create(31, seed: 1), null, null, "too few");

        var e = Assert.Throws<InvalidOperationException>(() => new TrainingSession(trainStep, data, new TrainingOptions(1, _folder.Path)));
        Assert.Equal("the training set has 31 samples, fewer than one batch of 32", e.Message);
    }

    [Fact]
    public void WithoutAnEvaluationProgramNothingIsMeasured()
    {
        using var trainStep = mlp.Programs.TrainStep(Batch);
        using var session = new TrainingSession(trainStep, Digits(), new TrainingOptions(1, _folder.File("blind")));

        var record = session.TrainEpoch();

        Assert.Null(record.ValidationLoss);
        Assert.Null(session.Metric);
        Assert.Throws<InvalidOperationException>(() => session.Evaluate(session.Data.Train));
    }

    private static double[] Losses(IEnumerable<EpochRecord> history) => [.. history.SelectMany(e => new[] { e.TrainLoss, e.ValidationLoss!.Value, e.ValidationAccuracy!.Value })];

    public void Dispose() => _folder.Dispose();

    /// <summary>Every progress event, as text.</summary>
    private sealed class RecordedProgress : ITrainingProgress
    {
        public List<string> Events { get; } = [];

        public void EpochStarted(int epoch, int epochs, int steps) => Events.Add($"start {epoch}/{epochs} ({steps} steps)");

        public void StepFinished(int step, double meanLoss) => Events.Add($"step {step}: {meanLoss}");

        public void EpochFinished(EpochRecord record) => Events.Add($"finish {record}");
    }
}
