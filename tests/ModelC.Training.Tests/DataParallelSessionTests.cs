using ModelC.Distributed;
using ModelC.Runtime.Execution;

namespace ModelC.Training.Tests;

/// <summary>
/// The data-parallel session on a job of threads (<see cref="ThreadedJob"/>): two ranks train as
/// one process with the same global batch does, clipping included; one rank is the fused step bit
/// for bit; rank 0 alone writes; a resume on two ranks continues a single process's checkpoint.
/// </summary>
public sealed class DataParallelSessionTests : IDisposable
{
    private const int Batch = 16;
    private const string Source = """
        import std.nn;
        model Spiral(B: batch) {
            input  x: f32[B, 2];
            input  y: i32[B];
            output logits = (linear(32) >> tanh >> linear(3))(x);
            loss   cross_entropy(logits, y);
            optimizer adam(lr = 1e-2, clip = 0.5);
        }
        """;

    private readonly TempDirectory _folder = new();
    private readonly TrainablePrograms _fused = TrainablePrograms.Compile(Source);
    private readonly SplitPrograms _split = new(Source);

    private static TrainingData Spirals() => TrainingData.Load("spirals:classes=3,noise=0.05", null, samples: 200, testSamples: 50, validationFraction: 0.2, seed: 1);

    private TrainingOptions Options(string output, int epochs) => new(epochs, _folder.File(output)) { Seed = 4 };

    private double[] SingleProcess(string output, int epochs)
    {
        using var step = _fused.TrainStep(Batch, seed: 9);
        using var session = new TrainingSession(step, Spirals(), Options(output, epochs), _fused.Evaluation());
        return [.. session.Run().Report.Epochs.Select(e => e.TrainLoss)];
    }

    private T OnRank<T>(ICommunicator ranks, string output, int epochs, Func<TrainingSession, T> use, long bucketBytes = TrainingOptions.DefaultGradientBucketBytes)
    {
        using var gradients = _split.Instance(SplitPrograms.Gradients, Batch / ranks.Size, seed: 9);
        using var update = _split.Instance(SplitPrograms.Update, Batch, seed: 9);
        using var session = new TrainingSession(new TrainStepParts(gradients, update, _split.Training), Spirals(), Options(output, epochs) with { GradientBucketBytes = bucketBytes }, ranks, _fused.Evaluation());
        return use(session);
    }

    [Fact]
    public void TwoRanksTrainAsOneProcessWithTheGlobalBatch()
    {
        var expected = SingleProcess("single", epochs: 3);
        var ranks = new ThreadedJob(2).Run(r => OnRank(r, "parallel", 3, s => (s.BatchSize, s.Run().Report)));
        foreach (var (batch, report) in ranks)
        {
            Assert.Equal(Batch, batch);
            Assert.Equal(expected, report.Epochs.Select(e => e.TrainLoss), (a, b) => Math.Abs(a - b) <= 1e-4 * Math.Abs(a) + 1e-6);
        }
        // Rank 0 alone measures the validation set.
        Assert.NotNull(ranks[0].Report.Epochs[^1].ValidationLoss);
        Assert.Null(ranks[1].Report.Epochs[^1].ValidationLoss);
    }

    [Fact]
    public void ABucketSizeBelowOneByteIsRefused()
    {
        var error = Record.Exception(() => new ThreadedJob(1).Run(r => OnRank(r, "buckets", 1, s => s.BatchSize, bucketBytes: 0)));
        Assert.IsType<ArgumentOutOfRangeException>(Assert.Single(Assert.IsType<AggregateException>(error).InnerExceptions));
    }

    [Fact]
    public void OneRankIsTheFusedStepBitForBit()
    {
        var expected = SingleProcess("fused", epochs: 2);
        var ranks = new ThreadedJob(1).Run(r => OnRank(r, "split", 2, s => s.Run().Report.Epochs.Select(e => e.TrainLoss).ToArray()));
        Assert.Equal(expected, ranks[0]);
    }

    [Fact]
    public void RankZeroAloneWritesAndHoldsTheOutputFolder()
    {
        var written = new ThreadedJob(2).Run(r => OnRank(r, "outputs", 1, session =>
        {
            session.Run();
            return session.IsRoot ? null : Record.Exception(session.SaveCheckpoint);
        }));
        Assert.Null(written[0]);
        Assert.Contains("rank 1 of a data-parallel job: only rank 0 writes checkpoints", Assert.IsType<InvalidOperationException>(written[1]).Message, StringComparison.Ordinal);
        Assert.Equal(["epoch-0001.safetensors"], Directory.GetFiles(_folder.File("outputs/checkpoints")).Select(Path.GetFileName));
        Assert.False(File.Exists(_folder.File("outputs/modelc-train.lock")));
    }

    [Fact]
    public void TwoRanksResumeASingleProcessCheckpoint()
    {
        var expected = SingleProcess("whole", epochs: 3);
        SingleProcess("resumed", epochs: 1);
        var ranks = new ThreadedJob(2).Run(r => OnRank(r, "resumed", 3, session =>
        {
            session.Resume();
            return session.Run().Report.Epochs.Select(e => e.TrainLoss).ToArray();
        }));
        Assert.Equal(expected, ranks[1], (a, b) => Math.Abs(a - b) <= 1e-4 * Math.Abs(a) + 1e-6);
    }

    public void Dispose()
    {
        _split.Dispose();
        _fused.Dispose();
        _folder.Dispose();
    }
}
