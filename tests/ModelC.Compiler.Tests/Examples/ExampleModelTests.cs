using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Values;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Examples;

/// <summary>
/// Every example and standard-library file compiles without any diagnostic; every model
/// elaborates in both modes into a verified graph, prints, and runs in the reference
/// interpreter to finite values.
/// </summary>
public sealed class ExampleModelTests
{
    // Models whose reference-interpreter run would take minutes (ResNet-18 at 32x32, MgNO at 256x256).
    private static readonly HashSet<string> TooSlowToInterpret = ["ResNet18", "Darcy"];

    // Smaller settings of model parameters that keep the interpreter runs to about a second each.
    private static readonly Dictionary<string, Dictionary<string, Value>> SmallerSettings = new()
    {
        ["Macaron"] = new() { ["S"] = new IntValue(8) },
        ["FnoDarcy"] = new() { ["n"] = new IntValue(16), ["width"] = new IntValue(8), ["modes"] = new IntValue(4) },
        ["Poisson"] = new() { ["n"] = new IntValue(16) },
        ["Vit"] = new() { ["d"] = new IntValue(32) },
        ["Mixer"] = new() { ["d"] = new IntValue(32) },
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "examples", "stdlib" })
        {
            foreach (var file in Directory.GetFiles(RepositoryPaths.Get(folder), "*.mdl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
            }
        }
        return data;
    }

    [Fact]
    public void EveryFamilyHasExamples() =>
        Assert.True(Files().Count >= 12, "expected the stdlib files and an example per family");

    [Theory]
    [MemberData(nameof(Files))]
    public void CompilesCleanlyAndEveryModelElaborates(string file)
    {
        var compilation = Compilation.Load(RepositoryPaths.Get(file), CompilerDriver.Options);
        Assert.Empty(compilation.Diagnostics);
        foreach (var model in compilation.Models)
        {
            foreach (var mode in new[] { ExecutionMode.Inference, ExecutionMode.Training })
            {
                var result = compilation.Elaborate(model, mode);
                Assert.Empty(result.Diagnostics);
                var graph = result.Model!.Graph;
                Assert.Empty(GraphVerifier.Verify(graph));
                Assert.StartsWith($"graph {model.Name} {{", GraphPrinter.Print(graph));
                Assert.Equal(mode == ExecutionMode.Training && model.HasLoss,
                    graph.Loss is not null);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryModelRunsInTheReferenceInterpreter(string file)
    {
        var compilation = Compilation.Load(RepositoryPaths.Get(file), CompilerDriver.Options);
        foreach (var model in compilation.Models.Where(m => !TooSlowToInterpret.Contains(m.Name)))
        {
            var graph = compilation.Elaborate(model, ExecutionMode.Training, SmallerSettings.GetValueOrDefault(model.Name)).Model!.Graph;
            var inputs = graph.Inputs.ToDictionary(i => ((InputOp)i.Op).Name, i => RandomInput(i.Type, batch: 2));
            var result = ReferenceInterpreter.Run(graph, inputs, ParameterInitializer.Initialize(graph, seed: 7));
            foreach (var (name, value) in result.Outputs)
            {
                Assert.True(value.ToArray().All(double.IsFinite), $"{model.Name}.{name} has non-finite values");
            }
            if (result.Loss is { } loss)
            {
                Assert.True(double.IsFinite(loss.Data[0]), $"{model.Name} loss is {loss.Data[0]}");
            }
        }
    }

    // Float inputs in [-1, 1); integer inputs (labels, token ids) in [0, 3).
    private static HostTensor RandomInput(TensorType type, int batch)
    {
        var random = new Random(11);
        var shape = type.Shape.Resolve(new Dictionary<string, int> { ["B"] = batch });
        return HostTensor.FromFunction(shape, _ => type.ElementType == ElementType.F32 ? random.NextDouble() * 2 - 1 : random.Next(3));
    }
}
