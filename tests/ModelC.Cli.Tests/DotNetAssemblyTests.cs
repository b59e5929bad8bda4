using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using ModelC.Runtime.Bindings;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Optimization;

namespace ModelC.Cli.Tests;

/// <summary>
/// The assembly <c>modelc build</c> writes for examples/mlp/mlp.mdl, loaded as an app would and
/// called through its typed members: its outputs are <c>modelc run</c>'s bit for bit, its train
/// step is the compiled train step's, instances on two threads do not disturb each other, and
/// Save/Load round-trip.
/// </summary>
public sealed class DotNetAssemblyTests(DotNetAssemblyTests.BuiltMlp mlp) : IClassFixture<DotNetAssemblyTests.BuiltMlp>
{
    private const int Batch = 4;

    /// <summary><c>Mlp.Forward(ReadOnlySpan&lt;float&gt; x)</c>.</summary>
    public delegate float[] Forward(ReadOnlySpan<float> x);

    /// <summary><c>Mlp.Forward(ReadOnlySpan&lt;float&gt; x, Span&lt;float&gt; logits)</c>.</summary>
    public delegate void ForwardInto(ReadOnlySpan<float> x, Span<float> logits);

    /// <summary><c>Mlp.TrainStep(ReadOnlySpan&lt;float&gt; x, ReadOnlySpan&lt;int&gt; y)</c>.</summary>
    public delegate float TrainStep(ReadOnlySpan<float> x, ReadOnlySpan<int> y);

    /// <summary><c>Mlp.Forward(ReadOnlyTensorSpan&lt;float&gt; x)</c>.</summary>
    public delegate Tensor<float> TensorForward(ReadOnlyTensorSpan<float> x);

    /// <summary><c>Mlp.TrainStep(ReadOnlyTensorSpan&lt;float&gt; x, ReadOnlyTensorSpan&lt;int&gt; y)</c>.</summary>
    public delegate float TensorTrainStep(ReadOnlyTensorSpan<float> x, ReadOnlyTensorSpan<int> y);

    [Fact]
    public void ForwardGivesTheOutputsOfModelcRunBitForBit()
    {
        using var scratch = new ScratchFolder();
        var saved = Path.Combine(scratch.Path, "run.safetensors");
        var run = Modelc.Run("run", Modelc.File("examples/mlp/mlp.mdl"), "--stdlib", Modelc.Stdlib, "-b", $"{Batch}", "--seed", "7", "--threads", "2", "-r", "0", "--save-tensors", saved);
        Assert.True(run.ExitCode == 0, run.ToString());
        var tensors = SafetensorsFile.Read(saved).Tensors;

        using var model = mlp.Create(Batch, threads: 2, seed: 7);
        var logits = mlp.ForwardOf(model)(tensors["x"].Floats);

        Assert.Equal(tensors["logits"].Shape.Aggregate(1, (p, d) => p * d), logits.Length);
        Assert.Equal(Bits(tensors["logits"].Floats), Bits(logits));
    }

    [Fact]
    public void TwoThreadsCallingForwardOnTwoInstancesBothGetTheirOwnResults()
    {
        var inputs = new[] { Inputs(1), Inputs(2) };
        var expected = new float[2][];
        for (var i = 0; i < 2; i++)
        {
            using var alone = mlp.Create(Batch, threads: 1, seed: (ulong)i);
            expected[i] = mlp.ForwardOf(alone)(inputs[i].X);
        }
        Assert.NotEqual(Bits(expected[0]), Bits(expected[1]));

        using var start = new Barrier(2);
        var results = new List<float[]>[2];
        var threads = new[] { 0, 1 }.Select(i => new Thread(() =>
        {
            using var model = mlp.Create(Batch, threads: 1, seed: (ulong)i);
            var forward = mlp.ForwardOf(model);
            start.SignalAndWait();
            results[i] = [.. Enumerable.Range(0, 50).Select(_ => forward(inputs[i].X))];
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(50, results[i].Count);
            Assert.All(results[i], r => Assert.Equal(Bits(expected[i]), Bits(r)));
        }
    }

    [Fact]
    public void TrainStepIsTheCompiledTrainStepAndForwardUsesTheTrainedWeights()
    {
        var (x, y) = Inputs(3);
        using var model = mlp.Create(Batch, threads: 2, seed: 5);
        var trainStep = mlp.TrainStepOf(model);
        var losses = Enumerable.Range(0, 3).Select(_ => trainStep(x, y)).ToList();
        var logits = mlp.ForwardOf(model)(x);

        // The same steps on the runtime's own instances of the built libraries.
        var (trainManifest, trainKernels) = ModelArtifact.Load(mlp.TrainingDirectory, "Mlp");
        using var training = new ModelInstance(trainManifest, trainKernels, new Dictionary<string, int> { ["B"] = Batch }, new ModelOptions(2, 5), ownsKernels: true);
        var scheduled = new ScheduledTrainStep(training, 1, 1);
        var expectedLosses = Enumerable.Range(0, 3).Select(_ =>
        {
            x.CopyTo(training.Floats("x"));
            y.CopyTo(training.Ints("y"));
            return scheduled.Run();
        }).ToList();
        var (manifest, kernels) = ModelArtifact.Load(mlp.Directory, "Mlp");
        using var inference = new ModelInstance(manifest, kernels, new Dictionary<string, int> { ["B"] = Batch }, new ModelOptions(2), ownsKernels: true);
        inference.CopyWeightsFrom(training);
        x.CopyTo(inference.Floats("x"));
        inference.Run();

        Assert.Equal(expectedLosses, losses);
        Assert.True(losses[2] < losses[0], string.Join(", ", losses));
        Assert.Equal(3, model.Step);
        Assert.Equal(Bits(inference.Floats("logits").ToArray()), Bits(logits));
    }

    [Fact]
    public void SaveThenLoadRestoresTheTrainedModelAndACorruptFileIsRefused()
    {
        using var scratch = new ScratchFolder();
        var (x, y) = Inputs(4);
        var path = Path.Combine(scratch.Path, "mlp.safetensors");
        using var trained = mlp.Create(Batch, threads: 1, seed: 1);
        mlp.TrainStepOf(trained)(x, y);
        mlp.TrainStepOf(trained)(x, y);
        trained.Save(path);
        var expected = mlp.ForwardOf(trained)(x);

        using var restored = mlp.Create(Batch, threads: 1, seed: 2);
        restored.Load(path);

        Assert.Equal(Bits(expected), Bits(mlp.ForwardOf(restored)(x)));
        Assert.Equal(2, restored.Step);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<CheckpointFormatException>(() => restored.Load(path));
        Assert.Contains("CRC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStepWhoseLossIsNotFiniteIsRefusedAndNotApplied()
    {
        var (x, y) = Inputs(6);
        using var model = mlp.Create(Batch, threads: 1, seed: 3);
        mlp.TrainStepOf(model)(x, y);
        var weights = Bits(model.Parameter("logits.linear_0.weight"));
        float[] overflowing = [.. x.Select(v => (v + 1) * float.MaxValue)];

        var error = Assert.Throws<NonFiniteStepException>(() => mlp.TrainStepOf(model)(overflowing, y));

        Assert.Equal("step 2 of model Mlp made the loss NaN (learning rate 0.001); the step was not applied", error.Message);
        Assert.Equal(1, model.Step);
        Assert.Equal(weights, Bits(model.Parameter("logits.linear_0.weight")));
        Assert.True(float.IsFinite(mlp.TrainStepOf(model)(x, y)));
        Assert.Equal(2, model.Step);
    }

    [Fact]
    public void AStepWithAnInfiniteLearningRateIsRefusedAndNotApplied()
    {
        var (x, y) = Inputs(7);
        using var model = mlp.Create(Batch, threads: 1, seed: 3);
        model.PlanTraining(1, 1, learningRate: 1e39);
        var weights = Bits(model.Parameter("logits.linear_0.weight"));

        var error = Assert.Throws<NonFiniteStepException>(() => mlp.TrainStepOf(model)(x, y));

        Assert.Equal("step 1 of model Mlp made the learning rate Infinity (learning rate 1E+39); the step was not applied", error.Message);
        Assert.Equal(0, model.Step);
        Assert.Equal(weights, Bits(model.Parameter("logits.linear_0.weight")));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(-3)]
    public void ALabelThatIsNotAClassIsRefusedAndNothingRuns(int bad)
    {
        var (x, y) = Inputs(8);
        y[2] = bad;
        using var model = mlp.Create(Batch, threads: 1, seed: 3);
        var weights = Bits(model.Parameter("logits.linear_0.weight"));

        var error = Assert.Throws<ArgumentException>(() => mlp.TrainStepOf(model)(x, y));

        Assert.Equal($"y[2] = {bad} is out of range for model Mlp (0 to 9)", error.Message);
        Assert.Equal(0, model.Step);
        Assert.Equal(weights, Bits(model.Parameter("logits.linear_0.weight")));
    }

    [Fact]
    public void InputsOfTheWrongLengthAreRefusedWithTheirShape()
    {
        using var model = mlp.Create(Batch, threads: 1, seed: 0);
        var error = Assert.Throws<ArgumentException>(() => mlp.ForwardOf(model)(new float[10]));
        Assert.Equal("x of model Mlp holds 3136 values ([4, 784]; [B, 784] for B from 1 to 4); got 10 (Parameter 'x')", error.Message);
    }

    [Fact]
    public void ShapesAndParametersAreReachableByName()
    {
        using var model = mlp.Create(Batch, threads: 1, seed: 0);
        Assert.Equal(new long[] { Batch, 10 }, model.ShapeOf("logits").ToArray());
        Assert.Equal(new long[] { Batch }, model.ShapeOf("y").ToArray());
        Assert.Equal(new long[] { 512, 784 }, model.ShapeOf("logits.linear_0.weight").ToArray());
        Assert.Equal(6, model.ParameterNames.Count);
        Assert.Equal(512 * 784, model.Parameter("logits.linear_0.weight").Length);
        Assert.Equal("model Mlp has no tensor 'z' (Parameter 'name')", Assert.Throws<ArgumentException>(() => model.ShapeOf("z")).Message);
    }

    [Fact]
    public void TheAssemblyDocumentsTheModelFromItsDocComment()
    {
        var documentation = File.ReadAllText(Path.Combine(mlp.Directory, "Mlp.xml"));
        Assert.Contains("<member name=\"T:ModelC.Models.Mlp\">", documentation, StringComparison.Ordinal);
        Assert.Contains("MLP 784-512-512-10 with ReLU, trained with cross-entropy.", documentation, StringComparison.Ordinal);
        Assert.Contains("Input <c>x</c>, f32[B, 784], row-major.", documentation, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(mlp.Directory, "ModelC.Runtime.dll")));
        Assert.True(File.Exists(Path.Combine(mlp.Directory, "System.Numerics.Tensors.dll")));
    }

    private static (float[] X, int[] Y) Inputs(int seed)
    {
        var random = new Random(seed);
        return ([.. Enumerable.Range(0, Batch * 784).Select(_ => (float)random.NextDouble())], [.. Enumerable.Range(0, Batch).Select(_ => random.Next(10))]);
    }

    private static int[] Bits(ReadOnlySpan<float> values) => MemoryMarshal.Cast<float, int>(values).ToArray();

    /// <summary>
    /// examples/mlp/mlp.mdl built once: the assembly (with the native forward pass beside it)
    /// into <see cref="Directory"/>, and the native train step into <see cref="TrainingDirectory"/>.
    /// </summary>
    public sealed class BuiltMlp : IDisposable
    {
        private readonly ScratchFolder _scratch = new();
        private readonly Type _type;

        public BuiltMlp()
        {
            Directory = System.IO.Path.Combine(_scratch.Path, "assembly");
            TrainingDirectory = System.IO.Path.Combine(_scratch.Path, "training");
            var build = Modelc.Run("build", Modelc.File("examples/mlp/mlp.mdl"), "--stdlib", Modelc.Stdlib, "-o", Directory);
            Assert.True(build.ExitCode == 0, build.ToString());
            var train = Modelc.Run("build", Modelc.File("examples/mlp/mlp.mdl"), "--stdlib", Modelc.Stdlib, "-o", TrainingDirectory, "--mode", "train", "--emit", "native");
            Assert.True(train.ExitCode == 0, train.ToString());
            // Its own load context, as each test class builds an assembly of the same name; the
            // runtime it references resolves to the one this process already has.
            var assembly = new AssemblyLoadContext("Mlp").LoadFromAssemblyPath(System.IO.Path.Combine(Directory, "Mlp.dll"));
            _type = assembly.GetType("ModelC.Models.Mlp", throwOnError: true)!;
        }

        public string Directory { get; }

        public string TrainingDirectory { get; }

        public CompiledModel Create(int batch, int? threads, ulong seed) =>
            (CompiledModel)Activator.CreateInstance(_type, batch, threads, seed, ModelDevice.Cpu)!;

        public Forward ForwardOf(CompiledModel model) =>
            _type.GetMethod("Forward", [typeof(ReadOnlySpan<float>)])!.CreateDelegate<Forward>(model);

        public ForwardInto ForwardIntoOf(CompiledModel model) =>
            _type.GetMethod("Forward", [typeof(ReadOnlySpan<float>), typeof(Span<float>)])!.CreateDelegate<ForwardInto>(model);

        public TensorForward TensorForwardOf(CompiledModel model) =>
            _type.GetMethod("Forward", [typeof(ReadOnlyTensorSpan<float>)])!.CreateDelegate<TensorForward>(model);

        public TensorTrainStep TensorTrainStepOf(CompiledModel model) =>
            _type.GetMethod("TrainStep", [typeof(ReadOnlyTensorSpan<float>), typeof(ReadOnlyTensorSpan<int>)])!.CreateDelegate<TensorTrainStep>(model);

        public TrainStep TrainStepOf(CompiledModel model) =>
            _type.GetMethod("TrainStep", [typeof(ReadOnlySpan<float>), typeof(ReadOnlySpan<int>)])!.CreateDelegate<TrainStep>(model);

        public void Dispose() => _scratch.Dispose();
    }
}
