using System.Collections.Concurrent;
using ModelC.Distributed;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Training.Tests;

/// <summary>
/// The overlapped allreduce of the data-parallel step on a job of threads: the gradients
/// program pauses after the kernels that finish each bucket, and a bucket's allreduce begins
/// while later kernels are still to run; the program's results do not depend on the pauses.
/// </summary>
public sealed class OverlappedReduceTests : IDisposable
{
    private const int Batch = 8;
    private const string Source = """
        import std.nn;
        model Deep(B: batch) {
            input  x: f32[B, 4];
            input  y: i32[B];
            output logits = (linear(16) >> tanh >> linear(16) >> tanh >> linear(3))(x);
            loss   cross_entropy(logits, y);
            optimizer sgd(lr = 0.1);
        }
        """;

    private readonly SplitPrograms _split = new(Source);

    private ModelInstance Instance(int program, int batch) => _split.Instance(program, batch, seed: 3);

    private static void Feed(ModelInstance gradients, int rank)
    {
        var x = gradients.Floats("x");
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Sin(i + 17 * rank);
        }
        var y = gradients.Ints("y");
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = (i + rank) % 3;
        }
    }

    [Fact]
    public void PausesSeeTheKernelsResultsAndDoNotChangeThem()
    {
        using var plain = Instance(0, Batch);
        using var paused = Instance(0, Batch);
        Feed(plain, 0);
        Feed(paused, 0);
        plain.Run();
        var kernels = paused.Manifest.Kernels;
        var lastWriter = paused.Manifest.Tensors.Where(t => t.Role == TensorRole.Output)
            .ToDictionary(t => t.Name, t => Enumerable.Range(0, kernels.Length).Last(k => kernels[k].Buffers[0] == t.Buffer));
        var stops = lastWriter.Values.Distinct().Order().ToArray();
        var seen = new List<int>();
        paused.Run(stops, j =>
        {
            seen.Add(j);
            // Every output finished by the kernel paused after already holds its final value.
            foreach (var (name, _) in lastWriter.Where(w => w.Value == stops[j]))
            {
                Assert.Equal(plain.Floats(name).ToArray(), paused.Floats(name).ToArray());
            }
        });
        Assert.Equal(Enumerable.Range(0, stops.Length), seen);
        foreach (var name in lastWriter.Keys)
        {
            Assert.Equal(plain.Floats(name).ToArray(), paused.Floats(name).ToArray());
        }
    }

    [Fact]
    public void PausesOutOfOrderOrOutsideTheScheduleAreRefused()
    {
        using var gradients = Instance(0, Batch);
        Feed(gradients, 0);
        var count = gradients.Manifest.Kernels.Length;
        Assert.Throws<ArgumentException>(() => gradients.Run([2, 1], _ => { }));
        Assert.Throws<ArgumentException>(() => gradients.Run([1, 1], _ => { }));
        Assert.Throws<ArgumentException>(() => gradients.Run([count], _ => { }));
        Assert.Throws<ArgumentException>(() => gradients.Run([-1], _ => { }));
    }

    [Fact]
    public void TheBucketsFollowTheGradientsProgramsSchedule()
    {
        using var gradients = Instance(0, Batch);
        using var update = Instance(1, Batch);
        using var step = new DataParallelStep(new TrainStepParts(gradients, update, _split.Training), new SingleProcess(), 10, 10, null, bucketBytes: 1);
        var kernels = gradients.Manifest.Kernels;
        // One bucket per tensor: six gradients and the loss, each ready after the last kernel that writes it.
        Assert.Equal(7, step.Buckets.Count);
        foreach (var bucket in step.Buckets)
        {
            var tensor = Assert.Single(bucket.Tensors);
            var buffer = gradients.Manifest.Tensors.Single(t => t.Name == tensor.Name).Buffer;
            Assert.Equal(Enumerable.Range(0, kernels.Length).Last(k => kernels[k].Buffers[0] == buffer), bucket.ReadyAfter);
        }
        Assert.Equal(step.Buckets.Select(b => b.ReadyAfter).Order(), step.Buckets.Select(b => b.ReadyAfter));
        // The loss and the last layer's gradients are ready long before the first layer's.
        Assert.Equal(_split.Training.LossOutput, step.Buckets[0].Tensors[0].Name);
        Assert.True(step.Buckets[^2].ReadyAfter < kernels.Length - 1);
    }

    [Fact]
    public void BucketsAreSummedWhileLaterKernelsStillWait()
    {
        var events = new ThreadedJob(2).Run(ranks =>
        {
            using var gradients = Instance(0, Batch / 2);
            using var update = Instance(1, Batch);
            using var step = new DataParallelStep(new TrainStepParts(gradients, update, _split.Training), ranks, 10, 10, null, bucketBytes: 1);
            var log = new ConcurrentQueue<string>();
            using var reducing = new SemaphoreSlim(0);
            step.Reducing = bucket =>
            {
                log.Enqueue($"reduce {bucket}");
                reducing.Release();
            };
            // The kernels after a pause run only once the paused bucket's allreduce has begun: were
            // buckets summed after the program, this would wait in vain.
            // The last kernel's time stays zero until it has run.
            var last = gradients.Manifest.Kernels.Length - 1;
            gradients.Timings = new KernelTimings(last + 1);
            step.BucketStarted = bucket =>
            {
                log.Enqueue($"start {bucket} after kernel {step.Buckets[bucket].ReadyAfter}");
                if (gradients.Timings.Of(last) > TimeSpan.Zero)
                {
                    log.Enqueue($"program ended before bucket {bucket} started");
                }
                Assert.True(reducing.Wait(TimeSpan.FromSeconds(60)), $"bucket {bucket} was not being summed while the program paused");
            };
            Feed(gradients, ranks.Rank);
            step.Run();
            log.Enqueue("step done");
            return (log.ToArray(), gradients.Manifest.Kernels.Length, step.Buckets.Select(b => b.ReadyAfter).ToArray());
        });
        foreach (var (log, kernels, readyAfter) in events)
        {
            // Bucket b's allreduce begins before the program goes past its pause to start bucket b + 1.
            var position = log.Select((e, i) => (e, i)).ToDictionary(p => p.e, p => p.i);
            for (var b = 0; b < readyAfter.Length; b++)
            {
                var next = b + 1 < readyAfter.Length ? $"start {b + 1} after kernel {readyAfter[b + 1]}" : "step done";
                Assert.True(position[$"start {b} after kernel {readyAfter[b]}"] < position[next], string.Join("; ", log));
                Assert.True(position[$"reduce {b}"] < position[next], string.Join("; ", log));
            }
            // Only the bucket of the last kernel starts after the program (its last kernel) has run.
            Assert.Equal(2 * readyAfter.Length + 1 + (readyAfter[^1] == kernels - 1 ? 1 : 0), log.Length);
            Assert.DoesNotContain(log, e => e.StartsWith("program ended", StringComparison.Ordinal) && e != $"program ended before bucket {readyAfter.Length - 1} started");
            Assert.True(readyAfter[^2] < kernels - 1);
        }
    }

    [Fact]
    public void RanksWithAnotherBucketLayoutAreRefused()
    {
        var errors = new ThreadedJob(2).Run(ranks =>
        {
            using var gradients = Instance(0, Batch / 2);
            using var update = Instance(1, Batch);
            using var step = new DataParallelStep(new TrainStepParts(gradients, update, _split.Training), ranks, 10, 10, null, ranks.Rank == 0 ? 1 : long.MaxValue);
            return Record.Exception(step.CheckBucketsAgree);
        });
        Assert.Null(errors[0]);
        Assert.Contains("rank 1 groups its gradients into other allreduce buckets than rank 0 (1 buckets)", Assert.IsType<InvalidOperationException>(errors[1]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BucketSizesGiveTheSameLossesBitForBit()
    {
        float[] Train(long bucketBytes) => new ThreadedJob(2).Run(ranks =>
        {
            using var gradients = Instance(0, Batch / 2);
            using var update = Instance(1, Batch);
            using var step = new DataParallelStep(new TrainStepParts(gradients, update, _split.Training), ranks, 10, 10, null, bucketBytes);
            step.ShareWeights();
            var losses = new float[5];
            for (var i = 0; i < losses.Length; i++)
            {
                Feed(gradients, ranks.Rank + i);
                losses[i] = step.Run();
            }
            return losses;
        })[0];
        var one = Train(long.MaxValue);
        Assert.Equal(one, Train(1));
        Assert.Equal(one, Train(TrainingOptions.DefaultGradientBucketBytes));
        Assert.Equal(one, Train(200));
    }

    public void Dispose() => _split.Dispose();
}
