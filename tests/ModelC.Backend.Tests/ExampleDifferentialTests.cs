using ModelC.Backend.Cpu;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics.Builtins;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Values;
using ModelC.Runtime;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Tests;

/// <summary>
/// Every model of <c>examples/**/*.mdl</c>, elaborated for inference and (where it has a loss)
/// for training, cleaned up and lowered by the pass pipeline (<see cref="GraphPipeline.Lowering"/>), compiled
/// and run against the reference interpreter's run of the graph before the passes, at batch 2 on the same
/// float32 inputs and parameters: every output, loss and state update within 1e-5 (normwise,
/// see <see cref="CompiledRun.AssertClose"/>), and bit-identical for 1 and 2 threads. No model
/// needs a looser tolerance: ResNet18's training graph holds 1e-5 here (2 images of 32x32),
/// where the ResNet-18 block case, on 8x8 images, needs 1e-3 (see BlockDifferentialTests).
/// </summary>
public sealed class ExampleDifferentialTests
{
    private const int Batch = 2;

    // Extra runs of a model under other settings: (case suffix, model, settings on top of ExampleCase.SmallSettings).
    private static readonly (string Suffix, string Model, Dictionary<string, Value> Settings)[] Variants =
    [
        // Poisson's boundary condition is its convolutions' padding mode (zeros by default), so
        // these exercise the slice-and-concat paddings inside a whole model. Inference only: the
        // loss does not depend on the mode, and each run is mostly JIT time (about 3 s of CPU).
        // Replicate is left to PrimitiveSweep's pad2d cases.
        ("bc_circular", "Poisson", new() { ["bc"] = BuiltinRegistry.Constants["circular"] }),
        ("bc_reflect", "Poisson", new() { ["bc"] = BuiltinRegistry.Constants["reflect"] }),
    ];

    private static readonly Lazy<IReadOnlyDictionary<string, ExampleCase>> AllCases = new(FindCases);

    /// <summary>One row per model, mode and setting, e.g. <c>Darcy_training</c>.</summary>
    public static TheoryData<string> Cases() => [.. AllCases.Value.Keys];

    /// <summary>The compiled example matches the interpreter.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void CompiledMatchesInterpreter(string name)
    {
        var graph = AllCases.Value[name].Elaborate().Graph;
        var inputs = graph.Inputs.Select((node, i) => (((InputOp)node.Op).Name, RandomInput(node.Type, seed: 11 + i)))
            .ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
        var run = CompiledRun.Execute(GraphPipeline.Run(graph, GraphPipeline.Lowering).Graph, graph, inputs, 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }

    /// <summary>
    /// The builds <c>modelc build</c> makes by default, the portable x86-64-v3 one and the AVX-512
    /// x86-64-v4 variant the runtime prefers where it can, each match the interpreter at the same
    /// tolerance as the host's build, on a dense, a convolutional and an attention model in both
    /// modes. A host without AVX-512 cannot run the v4 code, so those rows check nothing there.
    /// </summary>
    [Theory]
    [InlineData("Mlp_training")]
    [InlineData("ConvNet_training")]
    [InlineData("Attention_inference")]
    [InlineData("Vit_training")]
    public void EveryDefaultCpuVariantMatchesInterpreter(string name)
    {
        var graph = AllCases.Value[name].Elaborate().Graph;
        var inputs = graph.Inputs.Select((node, i) => (((InputOp)node.Op).Name, RandomInput(node.Type, seed: 11 + i)))
            .ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
        var cleaned = GraphPipeline.Run(graph, GraphPipeline.Lowering).Graph;
        foreach (var target in new[] { CpuTarget.Portable }.Concat(CpuTarget.PortableVariants).Where(t => t.RequiredFeatures.All(CpuFeatureSupport.IsSupported)))
        {
            CompiledRun.Execute(cleaned, graph, inputs, target, device: null).AssertClose();
        }
    }

    /// <summary>
    /// The cases reach every example file, and every model named in the settings exists: a
    /// renamed model would otherwise lose its shrinking silently and run at full size.
    /// </summary>
    [Fact]
    public void CasesCoverTheExamplesAndSettingsNameRealModels()
    {
        var cases = AllCases.Value.Values.ToList();
        var files = Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories);
        Assert.Equal(files.Length, cases.Select(c => c.File).Distinct().Count());
        Assert.Contains(cases, c => c.Mode == ExecutionMode.Training);
        var models = cases.Select(c => c.Model).ToHashSet();
        Assert.All(ExampleCase.SmallSettings.Keys.Concat(Variants.Select(v => v.Model)), name => Assert.Contains(name, models));
    }

    private static Dictionary<string, ExampleCase> FindCases()
    {
        var cases = new Dictionary<string, ExampleCase>(StringComparer.Ordinal);
        foreach (var (file, model) in ExampleCase.ExampleModels())
        {
            var settings = new List<(string Suffix, Dictionary<string, Value>? Values)> { ("", ExampleCase.SmallSettings.GetValueOrDefault(model.Name)) };
            settings.AddRange(Variants.Where(v => v.Model == model.Name).Select(v =>
                ("_" + v.Suffix, (Dictionary<string, Value>?)v.Settings.Concat(settings[0].Values ?? []).ToDictionary())));
            foreach (var (suffix, values) in settings)
            {
                cases.Add($"{model.Name}{suffix}_inference", new ExampleCase(file, model.Name, ExecutionMode.Inference, values));
                if (model.HasLoss && suffix.Length == 0)
                {
                    cases.Add($"{model.Name}{suffix}_training", new ExampleCase(file, model.Name, ExecutionMode.Training, values));
                }
            }
        }
        return cases;
    }

    // Float inputs in [-1, 1); integer inputs (labels, token ids) in [0, 3), as ExampleModelTests
    // feeds them, but with a seed per input so that two inputs of one shape differ.
    private static HostTensor RandomInput(TensorType type, int seed)
    {
        var random = new Random(seed);
        var shape = type.Shape.Resolve(new Dictionary<string, int> { ["B"] = Batch });
        return HostTensor.FromFunction(shape, _ => type.ElementType == ElementType.F32 ? random.NextDouble() * 2 - 1 : random.Next(3));
    }
}
