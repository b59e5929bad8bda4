using ModelC.Compiler.IR;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Passes.Optimizers;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests.Autodiff;
using ModelC.Compiler.Tests.Blocks;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// The train step split for data-parallel training: the gradients program followed by the update
/// program computes what the fused step computes, step after step, for every optimizer; the
/// update program holds the fused step's parameters and states under the same names.
/// </summary>
public sealed class SplitTrainStepTests
{
    private const double Rate = 0.05;

    private static string Source(string optimizer) => $$"""
        import std.nn;
        model Fit(B: batch) {
            input  x: f32[B, 2, 3];
            input  y: f32[B, 2, 3];
            output p = (batch_norm >> linear(4) >> tanh >> linear(3))(x);
            loss   mse(p, y);
            optimizer {{optimizer}};
        }
        """;

    [Theory]
    [MemberData(nameof(TrainStepTests.Optimizers), MemberType = typeof(TrainStepTests))]
    public void GradientsThenUpdateIsTheFusedStep(string optimizer)
    {
        var model = CompilerDriver.Elaborate(Source(optimizer), mode: ExecutionMode.Training);
        var fused = GraphPipeline.Run(model);
        var split = SplitTrainStep.Build(model.Graph, fused.Training!.Optimizer);
        Assert.Equal(fused.Training, split.Training);
        var inputs = new Dictionary<string, HostTensor>
        {
            ["x"] = GoldenValues.Input("input:x", false, [5, 2, 3], -1, 1),
            ["y"] = GoldenValues.Input("input:y", false, [5, 2, 3], -1, 1),
        };
        var fusedLeaves = Leaves(fused.Graph);
        var splitLeaves = Leaves(split.Update);

        for (var step = 0; step < 3; step++)
        {
            var whole = ReferenceInterpreter.Run(fused.Graph, new Dictionary<string, HostTensor>(inputs) { ["optimizer.lr"] = HostTensor.Scalar(Rate) }, fusedLeaves);
            var gradients = ReferenceInterpreter.Run(split.Gradients, inputs, splitLeaves.Where(l => split.Gradients.Nodes.Any(n => IsLeaf(n, l.Key))).ToDictionary());
            var fed = gradients.Gradients.ToDictionary(g => g.Key + SplitTrainStep.GradientSuffix, g => g.Value);
            fed["optimizer.lr"] = HostTensor.Scalar(Rate);
            // The model's states (BatchNorm's running statistics) come from the gradients program.
            foreach (var (name, value) in gradients.StateUpdates)
            {
                splitLeaves[name] = value;
            }
            var update = ReferenceInterpreter.Run(split.Update, fed, splitLeaves);

            Assert.Equal(whole.Loss!.Data[0], gradients.Loss!.Data[0]);
            Assert.Equal(whole.ParameterUpdates.Keys.Order(StringComparer.Ordinal), update.ParameterUpdates.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, value) in whole.ParameterUpdates.Concat(whole.StateUpdates))
            {
                var other = update.ParameterUpdates.GetValueOrDefault(name) ?? update.StateUpdates[name];
                TensorAssert.Close(value, other, 1e-12, $"{optimizer}, step {step + 1}: {name}");
                fusedLeaves[name] = value;
                splitLeaves[name] = other;
            }
        }
    }

    [Fact]
    public void TheUpdateProgramHoldsTheFusedStepsTensorsAndTakesTheGradients()
    {
        var model = CompilerDriver.Elaborate(Source("adam(clip = 1.0)"), mode: ExecutionMode.Training);
        var fused = GraphPipeline.Run(model);
        var split = SplitTrainStep.Build(model.Graph, fused.Training!.Optimizer);
        var parameters = model.Graph.Parameters.Select(GradientCheck.LeafName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(Names(fused.Graph.Parameters.Concat(fused.Graph.States)), Names(split.Update.Parameters.Concat(split.Update.States)));
        Assert.Equal(parameters.Select(p => p + ":grad").Append("optimizer.lr").Order(StringComparer.Ordinal), Names(split.Update.Inputs));
        Assert.Equal(parameters, split.Gradients.Outputs.Where(o => o.Role == OutputRole.Gradient).Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.Empty(split.Gradients.Outputs.Where(o => o.Role == OutputRole.ParameterUpdate));
        Assert.DoesNotContain(split.Update.Outputs, o => o.Role == OutputRole.Loss);
    }

    public static TheoryData<string, double, double> NonFiniteSteps() => new()
    {
        { "adam()", double.NaN, Rate },
        { "sgd(lr = 0.05, momentum = 0.9)", double.PositiveInfinity, Rate },
        { "adamw(lr = 0.05, weight_decay = 0.1)", 1.0, double.PositiveInfinity },
        { "adam(clip = 1.0)", double.NegativeInfinity, Rate },
    };

    [Theory]
    [MemberData(nameof(NonFiniteSteps))]
    public void AFusedStepWithANonFiniteLossOrRateChangesNothing(string optimizer, double input, double rate)
    {
        var model = CompilerDriver.Elaborate(Source(optimizer), mode: ExecutionMode.Training);
        var fused = GraphPipeline.Run(model);
        var leaves = Leaves(fused.Graph);
        var x = HostTensor.FromFunction([5, 2, 3], i => i[0] == 2 && i[2] == 1 ? input : 0.1 * (i[1] + i[2]));
        var inputs = new Dictionary<string, HostTensor>
        {
            ["x"] = x,
            ["y"] = GoldenValues.Input("input:y", false, [5, 2, 3], -1, 1),
            ["optimizer.lr"] = HostTensor.Scalar(rate),
        };

        var result = ReferenceInterpreter.Run(fused.Graph, inputs, leaves);

        Assert.Contains(result.StateUpdates.Keys, k => !k.StartsWith("optimizer.", StringComparison.Ordinal));
        foreach (var (name, value) in result.ParameterUpdates.Concat(result.StateUpdates))
        {
            TensorAssert.Equal(leaves[name], value, $"{optimizer}: {name}");
        }
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void AnUpdateWithOneNonFiniteGradientElementChangesNothing(double bad)
    {
        var model = CompilerDriver.Elaborate(Source("adam()"), mode: ExecutionMode.Training);
        var split = SplitTrainStep.Build(model.Graph, GraphPipeline.Run(model).Training!.Optimizer);
        var leaves = Leaves(split.Update);
        var fed = split.Update.Inputs.ToDictionary(GradientCheck.LeafName, n => HostTensor.Filled([.. n.Type.Shape.Dims.Select(d => (int)d.FixedSize)], 0.5));
        fed["optimizer.lr"] = HostTensor.Scalar(Rate);
        var finite = ReferenceInterpreter.Run(split.Update, fed, leaves);
        var last = fed.Keys.Where(k => k.EndsWith(SplitTrainStep.GradientSuffix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
        fed[last] = HostTensor.FromFunction(fed[last].Shape, i => i.All(v => v == 0) ? bad : 0.5);

        var skipped = ReferenceInterpreter.Run(split.Update, fed, leaves);

        Assert.Equal(1, finite.StateUpdates[TrainStep.StepState].Data[0]);
        foreach (var (name, value) in skipped.ParameterUpdates.Concat(skipped.StateUpdates))
        {
            TensorAssert.Equal(leaves[name], value, name);
        }
    }

    private static List<string> Names(IEnumerable<Node> leaves) => [.. leaves.Select(GradientCheck.LeafName).Order(StringComparer.Ordinal)];

    private static bool IsLeaf(Node node, string name) => node.Op is IR.Ops.ParameterOp or IR.Ops.StateOp && GradientCheck.LeafName(node) == name;

    // Every parameter from its golden values, every state zero (BatchNorm's running variance too: only a fixed start matters here).
    private static Dictionary<string, HostTensor> Leaves(Graph graph) =>
        graph.Nodes.Where(n => n.Op is IR.Ops.ParameterOp or IR.Ops.StateOp).ToDictionary(GradientCheck.LeafName, n =>
        {
            int[] shape = [.. n.Type.Shape.Dims.Select(d => (int)d.FixedSize)];
            return n.Op is IR.Ops.ParameterOp ? GoldenValues.Parameter(GradientCheck.LeafName(n), shape) : HostTensor.Zeros(shape);
        });
}
