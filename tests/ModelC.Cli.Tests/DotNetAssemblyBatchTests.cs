using System.Runtime.InteropServices;
using ModelC.Runtime.Execution;

namespace ModelC.Cli.Tests;

/// <summary>
/// One instance of the generated class runs every batch size up to the one it was made for: the
/// inputs' lengths give the batch, and each size's outputs and train steps are those of an
/// instance made for that size, bit for bit.
/// </summary>
public sealed class DotNetAssemblyBatchTests(DotNetAssemblyTests.BuiltMlp mlp) : IClassFixture<DotNetAssemblyTests.BuiltMlp>
{
    private static readonly int[] Batches = [1, 7, 32, 7, 1];

    [Fact]
    public void ForwardOnBatchesOf1And7And32GivesTheOutputsOfInstancesMadeForEach()
    {
        using var shared = mlp.Create(32, threads: 2, seed: 3);
        foreach (var batch in Batches)
        {
            var (x, _) = Inputs(batch, seed: batch);
            using var alone = mlp.Create(batch, threads: 2, seed: 3);
            var expected = mlp.ForwardOf(alone)(x);

            var logits = mlp.ForwardOf(shared)(x);

            Assert.Equal(batch * 10, logits.Length);
            Assert.Equal(Bits(expected), Bits(logits));
        }
    }

    [Fact]
    public void TrainStepsOnBatchesOf1And7And32AreThoseOfInstancesMadeForEach()
    {
        using var scratch = new ScratchFolder();
        var state = Path.Combine(scratch.Path, "state.safetensors");
        using var shared = mlp.Create(32, threads: 2, seed: 3);
        shared.Save(state);
        foreach (var batch in Batches)
        {
            var (x, y) = Inputs(batch, seed: 10 + batch);
            // An instance of this size continues from the shared one's state (weights, moments, step).
            using var alone = mlp.Create(batch, threads: 2, seed: 9);
            alone.Load(state);
            var expectedLoss = mlp.TrainStepOf(alone)(x, y);
            var expected = mlp.ForwardOf(alone)(x);

            var loss = mlp.TrainStepOf(shared)(x, y);
            shared.Save(state);

            Assert.Equal(BitConverter.SingleToInt32Bits(expectedLoss), BitConverter.SingleToInt32Bits(loss));
            Assert.Equal(Bits(expected), Bits(mlp.ForwardOf(shared)(x)));
            Assert.Equal(alone.Step, shared.Step);
        }
        Assert.Equal(Batches.Length, shared.Step);
    }

    [Fact]
    public void TheSpanForwardAllocatesNothingAtSizesItHasRun()
    {
        using var model = mlp.Create(32, threads: 1, seed: 0);
        var forward = mlp.ForwardIntoOf(model);
        var inputs = new[] { 1, 7 }.Select(batch => Inputs(batch, seed: batch).X).ToArray();
        var outputs = new[] { new float[10], new float[70] };
        for (var i = 0; i < 2; i++)
        {
            forward(inputs[i], outputs[i]);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 2; i++)
            {
                forward(inputs[i], outputs[i]);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ABatchLargerThanTheInstancesIsRefusedWithTheRange()
    {
        using var model = mlp.Create(4, threads: 1, seed: 0);
        var error = Assert.Throws<ArgumentException>(() => mlp.ForwardOf(model)(new float[5 * 784]));
        Assert.Equal("x of model Mlp holds 3136 values ([4, 784]; [B, 784] for B from 1 to 4); got 3920 (Parameter 'x')", error.Message);
        var (x, _) = Inputs(2, seed: 1);
        var wrongLabels = Assert.Throws<ArgumentException>(() => mlp.TrainStepOf(model)(x, new int[3]));
        Assert.Equal("y of model Mlp holds 2 values ([2]; [B] for B from 1 to 4); got 3 (Parameter 'y')", wrongLabels.Message);
    }

    [Fact]
    public void AModelInstanceBindsSizesUpToItsBoundsAndKeepsItsWeights()
    {
        var (manifest, kernels) = ModelArtifact.Load(mlp.Directory, "Mlp");
        using var instance = new ModelInstance(manifest, kernels, new Dictionary<string, int> { ["B"] = 8 }, new ModelOptions(1, 4), ownsKernels: true);
        var weights = instance.Floats("logits.linear_0.weight").ToArray();

        instance.Bind(new Dictionary<string, int> { ["B"] = 3 });

        Assert.Equal(3, instance.Bindings["B"]);
        Assert.Equal(8, instance.Bounds["B"]);
        Assert.Equal([3L, 784L], instance.ShapeOf("x").ToArray());
        Assert.Equal(3 * 10, instance.Floats("logits").Length);
        Assert.Equal(weights, instance.Floats("logits.linear_0.weight").ToArray());
        Assert.Equal("dimension 'B' of model Mlp is at most 8 (the size the instance was made for), got 9 (Parameter 'symbols')",
            Assert.Throws<ArgumentException>(() => instance.Bind(new Dictionary<string, int> { ["B"] = 9 })).Message);
        Assert.Throws<ArgumentException>(() => instance.Bind(new Dictionary<string, int> { ["B"] = 0 }));
        Assert.Equal(3, instance.Bindings["B"]);
    }

    private static (float[] X, int[] Y) Inputs(int batch, int seed)
    {
        var random = new Random(seed);
        return ([.. Enumerable.Range(0, batch * 784).Select(_ => (float)random.NextDouble())], [.. Enumerable.Range(0, batch).Select(_ => random.Next(10))]);
    }

    private static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();
}
