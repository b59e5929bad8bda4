using ModelC.Compiler.IR;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Compiler.Tests.IRTests;

/// <summary>
/// The printed IR of example models must match the committed golden files exactly, so any
/// change to lowering, the passes or printing shows up as a reviewed diff. Each graph is the
/// model's as the backend gets it for inference (after <see cref="GraphPipeline.Lowering"/>) and as
/// autodiff gets it for training (after <see cref="GraphPipeline.Cleanup"/>); one train step (<c>Mlp.train-step.ir</c>)
/// is pinned whole. Set MODELC_UPDATE_GOLDEN=1 to rewrite the files after an intended change.
/// </summary>
public sealed class GraphGoldenTests
{
    public static TheoryData<string, string, ExecutionMode> Cases() => new()
    {
        { "examples/mlp/mlp.mdl", "Mlp", ExecutionMode.Training },
        { "examples/mlp/mlp.mdl", "Mlp", ExecutionMode.Inference },
        { "examples/einspace/attention.mdl", "Attention", ExecutionMode.Inference },
        { "examples/einspace/conv_net.mdl", "ConvNet", ExecutionMode.Training },
        { "examples/macaron/macaron.mdl", "Macaron", ExecutionMode.Training },
        { "examples/mgno/poisson.mdl", "Poisson", ExecutionMode.Inference },
        { "examples/more/families.mdl", "Kan", ExecutionMode.Training },
        { "examples/more/families.mdl", "DeepONet", ExecutionMode.Inference },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrintedGraphMatchesGolden(string file, string model, ExecutionMode mode)
    {
        var path = RepositoryPaths.Get(file.Split('/'));
        var compilation = Compilation.Load(path, CompilerDriver.Options);
        Assert.False(compilation.HasErrors);
        var result = compilation.Elaborate(compilation.FindModel(model)!, mode);
        Assert.True(result.Success);
        AssertMatchesGolden(GraphPipeline.Run(result.Model!.Graph, mode == ExecutionMode.Training ? GraphPipeline.Cleanup : GraphPipeline.Lowering).Graph, $"{model}.{mode.ToString().ToLowerInvariant()}.ir");
    }

    [Fact]
    public void PrintedTrainStepMatchesGolden()
    {
        var compilation = Compilation.Load(RepositoryPaths.Get("examples", "mlp", "mlp.mdl"), CompilerDriver.Options);
        var model = compilation.Elaborate(compilation.FindModel("Mlp")!, ExecutionMode.Training).Model!;
        AssertMatchesGolden(GraphPipeline.Run(model).Graph, "Mlp.train-step.ir");
    }

    private static void AssertMatchesGolden(Graph graph, string name)
    {
        var printed = GraphPrinter.Print(graph);
        var golden = RepositoryPaths.Get("tests", "ModelC.Compiler.Tests", "IRTests", "Golden", name);
        if (System.Environment.GetEnvironmentVariable("MODELC_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, printed);
        }
        Assert.True(File.Exists(golden), $"missing {golden}; run with MODELC_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(golden), printed);
    }
}
