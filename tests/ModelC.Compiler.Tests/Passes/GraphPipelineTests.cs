using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Passes.Optimizers;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>Which passes a model gets, and what the pipeline guarantees around each one.</summary>
public sealed class GraphPipelineTests
{
    private const string Source = """
        import std.nn;
        model Fit(B: batch) {
            input  x: f32[B, 3];
            input  y: f32[B, 2];
            output p = (linear(4) >> tanh >> linear(2))(x);
            loss   mse(p, y);
            optimizer sgd(lr = 0.1, momentum = 0.9);
        }
        """;

    [Fact]
    public void InferenceRunsTheCleanupPasses()
    {
        var model = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Inference);
        Assert.Equal<string>(["cse", "fold-conv", "simplify", "gemm-layout", "dce"], GraphPipeline.Labels(GraphPipeline.PassesFor(model)));
        Assert.Null(GraphPipeline.Run(model).Training);
    }

    [Theory]
    [InlineData(ExecutionMode.Evaluation)]
    [InlineData(ExecutionMode.Training)]
    public void OnlyATrainingGraphWithALossBecomesATrainStep(ExecutionMode mode)
    {
        var source = mode == ExecutionMode.Training ? Source.Replace("loss   mse(p, y);", "", StringComparison.Ordinal).Replace("optimizer sgd(lr = 0.1, momentum = 0.9);", "", StringComparison.Ordinal) : Source;
        var model = CompilerDriver.Elaborate(source, mode: mode);
        Assert.Equal(GraphPipeline.Lowering, GraphPipeline.PassesFor(model));
        Assert.Null(GraphPipeline.Run(model).Training);
    }

    [Fact]
    public void TrainingWithALossDifferentiatesBuildsTheStepAndCleansUpAgain()
    {
        var model = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training);
        Assert.Equal<string>(
            ["cse", "simplify", "dce", "autodiff", "train-step", "cse.2", "fold-conv", "simplify.2", "gemm-layout", "dce.2"],
            GraphPipeline.Labels(GraphPipeline.PassesFor(model)));
        var result = GraphPipeline.Run(model);
        Assert.Equal(OptimizerKind.Sgd, result.Training!.Optimizer.Kind);
        Assert.Equal(TrainStep.Spec(result.Training.Optimizer), result.Training);
        Assert.Equal(4, result.Graph.Outputs.Count(o => o.Role == OutputRole.ParameterUpdate));
        Assert.Contains(result.Graph.States, s => ((StateOp)s.Op).Name.EndsWith(".momentum_buffer", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOptimizerInTheOptionsReplacesTheDeclaredOne()
    {
        var model = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training);
        var adam = OptimizerSettings.Default;
        var result = GraphPipeline.Run(model, new PipelineOptions { Optimizer = adam });
        Assert.Same(adam, result.Training!.Optimizer);
        Assert.Contains(result.Graph.States, s => ((StateOp)s.Op).Name.EndsWith(".exp_avg_sq", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Graph.States, s => ((StateOp)s.Op).Name.EndsWith(".momentum_buffer", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPassIsRecordedAndItsVerifiedGraphShown()
    {
        var model = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training);
        var shown = new List<(PassRecord Record, Graph Graph)>();
        var result = GraphPipeline.Run(model, new PipelineOptions { AfterPass = (record, graph) => shown.Add((record, graph)) });

        Assert.Equal(result.Passes, shown.Select(s => s.Record));
        Assert.All(shown, s => Assert.Equal(s.Graph.Nodes.Length, s.Record.NodeCount));
        Assert.All(shown, s => Assert.Empty(GraphVerifier.Verify(s.Graph)));
        Assert.All(shown, s => Assert.True(s.Record.Elapsed >= TimeSpan.Zero));
        Assert.Same(result.Graph, shown[^1].Graph);
        Assert.DoesNotContain(shown[2].Graph.Outputs, o => o.Role == OutputRole.Gradient);
        Assert.Contains(shown[3].Graph.Outputs, o => o.Role == OutputRole.Gradient);
    }

    [Fact]
    public void AnInvalidResultNamesThePassAndListsTheViolations()
    {
        var model = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Inference);
        IGraphPass[] passes = [new CommonSubexpressionElimination(), new DroppingTheLastNode(), new DeadCodeElimination()];

        var error = Assert.Throws<InvalidGraphException>(() => GraphPipeline.Run(model.Graph, passes));

        Assert.Equal("breaker", error.Pass);
        Assert.Contains(error.Violations, v => v.StartsWith("Output p refers to a node outside the graph", StringComparison.Ordinal));
        Assert.StartsWith("invalid IR for Fit after breaker:\n  ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidInputIsReportedBeforeAnyPass()
    {
        var model = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Inference);
        var broken = new DroppingTheLastNode().Run(model.Graph);
        var error = Assert.Throws<InvalidGraphException>(() => GraphPipeline.Run(broken, GraphPipeline.Cleanup));
        Assert.Equal(GraphPipeline.Elaborated, error.Pass);
    }

    [Fact]
    public void RepeatedPassesAreNumbered()
    {
        IGraphPass cse = new CommonSubexpressionElimination();
        IGraphPass dce = new DeadCodeElimination();
        Assert.Equal<string>(["cse", "dce", "cse.2", "cse.3", "dce.2"], GraphPipeline.Labels([cse, dce, cse, cse, dce]));
    }

    // A broken pass: the graph loses the node its first output refers to.
    private sealed class DroppingTheLastNode : IGraphPass
    {
        public string Name => "breaker";

        public Graph Run(Graph graph) => new(graph.Name, graph.Nodes.RemoveAt(graph.Nodes.Length - 1), graph.Outputs);
    }
}
