using ModelC.Backend.Driver;
using ModelC.Backend.Tests;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Gpu.Tests;

/// <summary>
/// Every model of every example file through the GPU target on ILGPU's CPU accelerator against
/// the reference interpreter, as ExampleDifferentialTests checks the CPU backend: inference, and
/// the training-mode forward pass of every model with a loss, at 1e-5; and the whole train step
/// (forward, backward and optimizer, on the device) of every model with a loss at the train-step
/// tolerance 1e-4 (ResNet18's at 1e-3, see <see cref="StepSettings"/>), six of the largest against
/// the CPU backend's, at the CPU tests' sizes (<see cref="ExampleCase.SmallSettings"/>).
/// </summary>
public sealed class ExampleTests
{
    private const int Batch = 2;

    // Models whose train step would take minutes in the interpreter (convolutions over grids, many
    // layers): their train steps are compared with the CPU backend's, at batch 1.
    private static readonly HashSet<string> LongTrainSteps = new(StringComparer.Ordinal) { "Darcy", "Poisson", "PoissonDeep", "Vit", "Mixer", "ConvNet" };

    // Train steps checked against the interpreter at another batch and tolerance than Batch and 1e-4.
    // ResNet18 at batch 1: its interpreted step takes a minute, and at batch 2 these inputs put one
    // leaky ReLU input 4.5e-7 from its kink, where float32 rounding may take the other slope. At
    // batch 1 its last stage normalises each channel over 2x2 values, and the backward passes of
    // its twenty batch norms amplify float32 rounding. Measured from the float64 interpreter on one
    // step (normwise, as AssertClose): the GPU target 2.7e-4, the CPU backend 5.1e-4 (so the CPU
    // backend would not hold 1e-4 either); the same amplification as BlockDifferentialTests'
    // ResNet-18 case, held to 1e-3 there (docs/gpu.md).
    private static readonly Dictionary<string, (int Batch, double Tolerance)> StepSettings = new(StringComparer.Ordinal) { ["ResNet18"] = (1, 1e-3) };

    private static readonly Lazy<IReadOnlyDictionary<string, ExampleCase>> AllCases = new(FindCases);

    /// <summary>One row per model and mode.</summary>
    public static TheoryData<string> Cases() => [.. AllCases.Value.Keys.Where(k => k.EndsWith("_inference", StringComparison.Ordinal) || k.EndsWith("_training", StringComparison.Ordinal))];

    /// <summary>One row per model with a loss.</summary>
    public static TheoryData<string> StepCases() => [.. AllCases.Value.Keys.Where(k => k.EndsWith("_step", StringComparison.Ordinal))];

    /// <summary>The model's forward pass (inference or training mode) on the GPU target matches the interpreter.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesInterpreter(string name)
    {
        var graph = AllCases.Value[name].Elaborate().Graph;
        var run = CompiledRun.Execute(GraphPipeline.Run(graph, GraphPipeline.Cleanup).Graph, graph, RandomInputs(graph), GpuTarget.Instance, IlgpuCpu.Devices);
        run.AssertClose();
    }

    /// <summary>The model's train step on the GPU target matches the interpreter's, from a mid-training Adam state.</summary>
    [Theory]
    [MemberData(nameof(StepCases))]
    public void TrainStepMatchesInterpreter(string name)
    {
        var step = AllCases.Value[name];
        var (batch, tolerance) = StepSettings.GetValueOrDefault(step.Model, (Batch, 1e-4));
        var source = ModelCompiler.SourceOf(step.Elaborate());
        var run = CompiledRun.Execute(source.Graph, source.Graph, StepInputs(source, batch), GpuTarget.Instance, IlgpuCpu.Devices, MidTrainingMoments(source.Graph));
        run.AssertClose(tolerance);
    }

    /// <summary>One row per model with a loss whose train step is checked against the CPU backend.</summary>
    public static TheoryData<string> LongStepCases() => [.. AllCases.Value.Keys.Where(k => k.EndsWith("_longstep", StringComparison.Ordinal))];

    // Random inputs, and the model's own learning rate, as training uses: Adam's first step divides
    // each gradient by its magnitude, so a random rate of order 1 would magnify the rounding of a
    // gradient that cancels to near zero (which any two summation orders round differently).
    private static Dictionary<string, HostTensor> StepInputs(ProgramSource source, int batch)
    {
        var inputs = RandomInputs(source.Graph, batch);
        var rate = source.Training!.LearningRateInput;
        inputs[rate] = HostTensor.FromFunction(inputs[rate].Shape, _ => source.Training.Optimizer.LearningRate);
        return inputs;
    }

    /// <summary>
    /// The train step of each of the largest models on the GPU target matches the CPU backend's
    /// (the interpreter would take minutes on them), at batch 1, from a mid-training Adam state.
    /// </summary>
    [Theory]
    [MemberData(nameof(LongStepCases))]
    public void LongTrainStepMatchesCpuBackend(string name)
    {
        var source = ModelCompiler.SourceOf(AllCases.Value[name].Elaborate());
        var inputs = StepInputs(source, batch: 1);
        var run = CompiledRun.AgainstCpu(source.Graph, inputs, GpuTarget.Instance, IlgpuCpu.Devices, MidTrainingMoments(source.Graph));
        run.AssertClose(1e-4);
    }

    /// <summary>The cases reach every example file, and every model has one train-step case exactly when it has a loss.</summary>
    [Fact]
    public void CasesCoverTheExamples()
    {
        var files = Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories);
        Assert.Equal(files.Length, AllCases.Value.Values.Select(c => c.File).Distinct().Count());
        Assert.Contains(AllCases.Value.Keys, k => k.EndsWith("_training", StringComparison.Ordinal));
        Assert.Contains(AllCases.Value.Keys, k => k.EndsWith("_step", StringComparison.Ordinal));
        Assert.All(AllCases.Value.Keys.Where(k => k.EndsWith("_training", StringComparison.Ordinal)).Select(k => k[..^"_training".Length]),
            model => Assert.True(AllCases.Value.ContainsKey(model + "_step") ^ AllCases.Value.ContainsKey(model + "_longstep"), model));
    }

    private static Dictionary<string, ExampleCase> FindCases()
    {
        var cases = new Dictionary<string, ExampleCase>(StringComparer.Ordinal);
        foreach (var (file, model) in ExampleCase.ExampleModels())
        {
            var settings = ExampleCase.SmallSettings.GetValueOrDefault(model.Name);
            cases.Add($"{model.Name}_inference", new ExampleCase(file, model.Name, ExecutionMode.Inference, settings));
            if (model.HasLoss)
            {
                cases.Add($"{model.Name}_training", new ExampleCase(file, model.Name, ExecutionMode.Training, settings));
                var step = LongTrainSteps.Contains(model.Name) ? "longstep" : "step";
                cases.Add($"{model.Name}_{step}", new ExampleCase(file, model.Name, ExecutionMode.Training, settings));
            }
        }
        return cases;
    }

    // Adam's second moments as after some steps. From zero, Adam's first step divides each gradient
    // by its own magnitude plus ε, so a gradient that cancels to near ε (an MgNO weight's does) moves
    // its parameter by an amount that any two summation orders round differently by percents.
    private static Dictionary<string, HostTensor> MidTrainingMoments(Graph graph) =>
        graph.States.Select(n => (StateOp)n.Op).Where(s => s.Name.EndsWith(".exp_avg_sq", StringComparison.Ordinal))
            .ToDictionary(s => s.Name, s => HostTensor.FromFunction(s.Type.Shape.Resolve(new Dictionary<string, int>()), _ => 1e-6), StringComparer.Ordinal);

    // Float inputs in [-1, 1), integer inputs (labels, token ids) in [0, 3), a seed per input.
    private static Dictionary<string, HostTensor> RandomInputs(Graph graph, int batch = Batch) =>
        graph.Inputs.Select((node, i) => (((InputOp)node.Op).Name, RandomInput(node.Type, batch, seed: 11 + i)))
            .ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);

    private static HostTensor RandomInput(TensorType type, int batch, int seed)
    {
        var random = new Random(seed);
        var shape = type.Shape.Resolve(new Dictionary<string, int> { ["B"] = batch });
        return HostTensor.FromFunction(shape, _ => type.ElementType == ElementType.F32 ? random.NextDouble() * 2 - 1 : random.Next(3));
    }
}
