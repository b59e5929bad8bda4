using ModelC.Backend.Driver;
using ModelC.Backend.Tests;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Gpu.Tests;

/// <summary>
/// Every model of every example file through the GPU target on ILGPU's CPU accelerator against
/// the reference interpreter, as ExampleDifferentialTests checks the CPU backend: inference, and
/// the training-mode forward pass of every model with a loss, at 1e-5; and the whole train step
/// (forward, backward and optimizer, on the device) of every model with a loss but the seven
/// largest at the train-step tolerance 1e-4. Sizes are shrunk further than the CPU tests' (the CPU accelerator runs every
/// kernel as .NET code).
/// </summary>
public sealed class ExampleTests
{
    private const int Batch = 2;

    // Models exposing a size parameter, at the smallest size their structure allows.
    private static readonly Dictionary<string, Dictionary<string, Value>> Settings = new(StringComparer.Ordinal)
    {
        ["Darcy"] = new() { ["n"] = new IntValue(32) },
        ["Poisson"] = new() { ["n"] = new IntValue(16) },
        ["PoissonDeep"] = new() { ["n"] = new IntValue(32) },
        ["Vit"] = new() { ["d"] = new IntValue(32) },
        ["Mixer"] = new() { ["d"] = new IntValue(32) },
        ["Macaron"] = new() { ["S"] = new IntValue(8) },
    };

    // Models whose train step takes minutes on the CPU accelerator and in the interpreter (convolutions
    // over grids, many layers): their forward passes run here, their train steps' kernels compile to
    // PTX (PtxTests), and a GPU run (bench/gpu.sh) runs the CudaTests.
    private static readonly HashSet<string> LongTrainSteps = new(StringComparer.Ordinal) { "ResNet18", "Darcy", "Poisson", "PoissonDeep", "Vit", "Mixer", "ConvNet" };

    private static readonly Lazy<IReadOnlyDictionary<string, ExampleCase>> AllCases = new(FindCases);

    /// <summary>One row per model and mode.</summary>
    public static TheoryData<string> Cases() => [.. AllCases.Value.Keys.Where(k => !k.EndsWith("_step", StringComparison.Ordinal))];

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

    /// <summary>The model's train step on the GPU target matches the interpreter's.</summary>
    [Theory]
    [MemberData(nameof(StepCases))]
    public void TrainStepMatchesInterpreter(string name)
    {
        var source = ModelCompiler.SourceOf(AllCases.Value[name].Elaborate());
        var inputs = RandomInputs(source.Graph);
        // The model's own learning rate, as training uses: Adam's first step divides each gradient
        // by its magnitude, so a random rate of order 1 would magnify the rounding of a gradient
        // that cancels to near zero (which any two summation orders round differently).
        var rate = source.Training!.LearningRateInput;
        inputs[rate] = HostTensor.FromFunction(inputs[rate].Shape, _ => source.Training.Optimizer.LearningRate);
        var run = CompiledRun.Execute(source.Graph, source.Graph, inputs, GpuTarget.Instance, IlgpuCpu.Devices);
        run.AssertClose(1e-4);
    }

    /// <summary>The cases reach every example file, and every model has a train-step case exactly when it has a loss.</summary>
    [Fact]
    public void CasesCoverTheExamples()
    {
        var files = Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories);
        Assert.Equal(files.Length, AllCases.Value.Values.Select(c => c.File).Distinct().Count());
        Assert.Contains(AllCases.Value.Keys, k => k.EndsWith("_training", StringComparison.Ordinal));
        Assert.Contains(AllCases.Value.Keys, k => k.EndsWith("_step", StringComparison.Ordinal));
    }

    private static Dictionary<string, ExampleCase> FindCases()
    {
        var cases = new Dictionary<string, ExampleCase>(StringComparer.Ordinal);
        foreach (var (file, model) in ExampleCase.ExampleModels())
        {
            var settings = Settings.GetValueOrDefault(model.Name);
            cases.Add($"{model.Name}_inference", new ExampleCase(file, model.Name, ExecutionMode.Inference, settings));
            if (model.HasLoss)
            {
                cases.Add($"{model.Name}_training", new ExampleCase(file, model.Name, ExecutionMode.Training, settings));
                if (!LongTrainSteps.Contains(model.Name))
                {
                    cases.Add($"{model.Name}_step", new ExampleCase(file, model.Name, ExecutionMode.Training, settings));
                }
            }
        }
        return cases;
    }

    // Float inputs in [-1, 1), integer inputs (labels, token ids) in [0, 3), a seed per input.
    private static Dictionary<string, HostTensor> RandomInputs(Graph graph) =>
        graph.Inputs.Select((node, i) => (((InputOp)node.Op).Name, RandomInput(node.Type, seed: 11 + i)))
            .ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);

    private static HostTensor RandomInput(TensorType type, int seed)
    {
        var random = new Random(seed);
        var shape = type.Shape.Resolve(new Dictionary<string, int> { ["B"] = Batch });
        return HostTensor.FromFunction(shape, _ => type.ElementType == ElementType.F32 ? random.NextDouble() * 2 - 1 : random.Next(3));
    }
}
