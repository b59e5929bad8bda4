using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>Save</c> of the generated class writes the complete state (parameters, optimizer state and
/// step) whatever the last call was, and <c>Load</c> says what it restored.
/// </summary>
public sealed class DotNetAssemblyCheckpointTests(DotNetAssemblyTests.BuiltMlp mlp) : IClassFixture<DotNetAssemblyTests.BuiltMlp>
{
    private const int Batch = 4;

    [Fact]
    public void SaveAfterAForwardPassKeepsTheOptimizerStateAndTheStep()
    {
        using var scratch = new ScratchFolder();
        var path = Path.Combine(scratch.Path, "mlp.safetensors");
        var (x, y) = Inputs(1);
        using var trained = mlp.Create(Batch, threads: 1, seed: 1);
        mlp.TrainStepOf(trained)(x, y);
        mlp.TrainStepOf(trained)(x, y);
        mlp.ForwardOf(trained)(x);
        trained.Save(path);

        using var restored = mlp.Create(Batch, threads: 1, seed: 2);
        var summary = restored.Load(path);

        Assert.True(summary.OptimizerRestored);
        Assert.Equal(2, summary.Step);
        Assert.Equal(2, restored.Step);
        Assert.Contains("optimizer.step", summary.Tensors);
        Assert.Contains("logits.linear_0.weight", summary.Tensors);
        // Training continues exactly: the moments came back too.
        Assert.Equal(mlp.TrainStepOf(trained)(x, y), mlp.TrainStepOf(restored)(x, y));
    }

    [Fact]
    public void SaveToAStreamAndLoadFromItRestoreTheModelAsAFileDoes()
    {
        var (x, y) = Inputs(4);
        using var trained = mlp.Create(Batch, threads: 1, seed: 1);
        mlp.TrainStepOf(trained)(x, y);
        using var stream = new MemoryStream();
        trained.Save(stream, new Dictionary<string, string> { ["note"] = "in memory" });
        stream.Position = 0;

        using var restored = mlp.Create(Batch, threads: 1, seed: 2);
        var summary = restored.Load(stream);

        Assert.Equal("in memory", summary.Metadata["note"]);
        Assert.Equal(1, summary.Step);
        Assert.Equal(mlp.ForwardOf(trained)(x), mlp.ForwardOf(restored)(x));
        Assert.StartsWith("stream: ", Assert.Throws<CheckpointFormatException>(() => restored.Load(new MemoryStream(new byte[4]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelThatHasNotTrainedSavesItsFreshOptimizerStateAtStep0()
    {
        using var scratch = new ScratchFolder();
        var path = Path.Combine(scratch.Path, "fresh.safetensors");
        using var fresh = mlp.Create(Batch, threads: 1, seed: 1);
        mlp.ForwardOf(fresh)(Inputs(2).X);
        fresh.Save(path);

        var tensors = SafetensorsFile.Read(path).Tensors;

        Assert.Equal(0f, tensors["optimizer.step"].Floats[0]);
        Assert.Contains("optimizer.logits.linear_0.weight.exp_avg", tensors.Keys);
    }

    [Fact]
    public void LoadingWeightsWithoutOptimizerStateStartsTheOptimizerAfresh()
    {
        using var scratch = new ScratchFolder();
        var path = Path.Combine(scratch.Path, "weights.safetensors");
        var (x, y) = Inputs(3);
        using var source = mlp.Create(Batch, threads: 1, seed: 5);
        var weights = source.ParameterNames.Select(name => KeyValuePair.Create(name, Runtime.Data.DataArray.Of(source.Parameter(name).ToArray(), [.. source.ShapeOf(name).Select(d => (int)d)])));
        SafetensorsFile.Write(path, weights);
        using var trained = mlp.Create(Batch, threads: 1, seed: 6);
        mlp.TrainStepOf(trained)(x, y);

        var summary = trained.Load(path);

        Assert.False(summary.OptimizerRestored);
        Assert.Equal(0, summary.Step);
        Assert.Equal(source.ParameterNames, summary.Tensors);
        // The next step is the first step of a fresh model with these weights.
        Assert.Equal(mlp.TrainStepOf(source)(x, y), mlp.TrainStepOf(trained)(x, y));
        Assert.Equal(1, trained.Step);
    }

    private static (float[] X, int[] Y) Inputs(int seed)
    {
        var random = new Random(seed);
        return ([.. Enumerable.Range(0, Batch * 784).Select(_ => (float)random.NextDouble())], [.. Enumerable.Range(0, Batch).Select(_ => random.Next(10))]);
    }
}
