using ModelC.Compiler.Autodiff;
using ModelC.Compiler.IR;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Passes.Optimizers;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests.Autodiff;
using ModelC.Compiler.Tests.Blocks;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// The compiled optimizers, run in the reference interpreter for three steps, against the
/// torch.optim update formulas restated here in plain double arithmetic on the forward graph's
/// own (finite-difference-checked) gradients.
/// </summary>
public sealed class TrainStepTests
{
    private const int Steps = 3;
    private const double Rate = 0.05;

    private static string Source(string optimizer) => $$"""
        import std.nn;
        model Fit(B: batch) {
            input  x: f32[B, 3];
            input  y: f32[B, 2];
            output p = (linear(4) >> tanh >> linear(2))(x);
            loss   mse(p, y);
            optimizer {{optimizer}};
        }
        """;

    public static TheoryData<string> Optimizers() =>
    [
        "sgd(lr = 0.05)",
        "sgd(lr = 0.05, momentum = 0.9)",
        "sgd(lr = 0.05, momentum = 0.9, nesterov = true, weight_decay = 0.01)",
        "adam(lr = 0.05)",
        "adam(lr = 0.05, beta1 = 0.8, beta2 = 0.99, eps = 1e-6, weight_decay = 0.1)",
        "adamw(lr = 0.05, weight_decay = 0.1)",
        "adam(lr = 0.05, clip = 0.05)",
        "sgd(lr = 0.05, clip = 100.0)",
    ];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ThreeStepsMatchTheTorchFormulas(string optimizer)
    {
        var model = CompilerDriver.Elaborate(Source(optimizer), mode: ExecutionMode.Training);
        var (graph, training, _) = GraphPipeline.Run(model);
        var spec = training!.Optimizer;
        var forward = ReverseMode.Differentiate(model.Graph);
        var inputs = new Dictionary<string, HostTensor>
        {
            ["x"] = GoldenValues.Input("input:x", false, [5, 3], -1, 1),
            ["y"] = GoldenValues.Input("input:y", false, [5, 2], -1, 1),
        };
        var parameters = model.Graph.Parameters.Select(p => (Name: GradientCheck.LeafName(p), p.Type.Shape))
            .ToDictionary(p => p.Name, p => GoldenValues.Parameter(p.Name, [.. p.Shape.Dims.Select(d => (int)d.FixedSize)]).ToArray());
        var compiled = graph.Nodes.Where(n => n.Op is IR.Ops.ParameterOp or IR.Ops.StateOp)
            .ToDictionary(GradientCheck.LeafName, n => n.Op is IR.Ops.ParameterOp ? Tensor(parameters[GradientCheck.LeafName(n)], n) : HostTensor.Zeros([.. n.Type.Shape.Dims.Select(d => (int)d.FixedSize)]));
        var reference = new TorchOptimizer(spec, parameters);

        for (var step = 0; step < Steps; step++)
        {
            var fed = new Dictionary<string, HostTensor>(inputs) { [training.LearningRateInput] = HostTensor.Scalar(Rate) };
            var result = ReferenceInterpreter.Run(graph, fed, compiled);
            var gradients = ReferenceInterpreter.Run(forward, inputs, reference.Parameters.ToDictionary(p => p.Key, p => Tensor(p.Value, compiled[p.Key])));
            Assert.Equal(gradients.Loss!.Data[0], result.Loss!.Data[0], 1e-14);
            reference.Step(gradients.Gradients.ToDictionary(g => g.Key, g => g.Value.ToArray()), Rate);
            foreach (var (name, value) in result.ParameterUpdates.Concat(result.StateUpdates))
            {
                compiled[name] = value;
            }
        }

        Assert.Equal(Steps, compiled[TrainStep.StepState].Data[0]);
        foreach (var (name, expected) in reference.Parameters)
        {
            TensorAssert.Close(Tensor(expected, compiled[name]), compiled[name], 1e-12, $"{optimizer}: {name}");
        }
    }

    [Fact]
    public void TheStepUpdatesEveryParameterAndKeepsTheMomentsAsStates()
    {
        var model = CompilerDriver.Elaborate(Source("adamw()"), mode: ExecutionMode.Training);
        var (graph, training, _) = GraphPipeline.Run(model);
        var parameters = model.Graph.Parameters.Select(GradientCheck.LeafName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(parameters, graph.Outputs.Where(o => o.Role == OutputRole.ParameterUpdate).Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            parameters.SelectMany(p => new[] { $"optimizer.{p}.exp_avg", $"optimizer.{p}.exp_avg_sq" }).Append(TrainStep.StepState).Order(StringComparer.Ordinal),
            graph.States.Select(GradientCheck.LeafName).Order(StringComparer.Ordinal));
        Assert.Empty(graph.Outputs.Where(o => o.Role == OutputRole.Gradient));
        Assert.Equal(new TrainingSpec(OptimizerSettings.From(model.Optimizer), "optimizer.lr", "optimizer.step", "loss"), training);
        Assert.Equal(OptimizerKind.AdamW, training!.Optimizer.Kind);
        Assert.Equal(0.01, training.Optimizer.WeightDecay);
    }

    [Fact]
    public void AModelWithoutAnOptimizerTrainsWithAdam()
    {
        var model = CompilerDriver.Elaborate(Source("adam()").Replace("optimizer adam();", "", StringComparison.Ordinal), mode: ExecutionMode.Training);
        Assert.Equal(OptimizerSettings.Default, GraphPipeline.Run(model).Training!.Optimizer);
    }

    [Fact]
    public void EvaluationComputesTheLossWithRunningStatistics()
    {
        const string Source = """
            import std.nn;
            model Norm(B: batch) {
                input  x: f32[B, 4];
                input  y: f32[B, 4];
                output z = batch_norm()(x);
                loss   mse(z, y);
            }
            """;
        var evaluation = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Evaluation);
        var training = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training);
        var inference = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Inference);

        Assert.NotNull(evaluation.Graph.Loss);
        Assert.DoesNotContain(evaluation.Graph.Outputs, o => o.Role == OutputRole.StateUpdate);
        Assert.Contains(training.Graph.Outputs, o => o.Role == OutputRole.StateUpdate);
        Assert.Null(inference.Graph.Loss);
        Assert.Null(GraphPipeline.Run(evaluation).Training);
        var inputs = new Dictionary<string, HostTensor>
        {
            ["x"] = GoldenValues.Input("x", false, [3, 4], -1, 1),
            ["y"] = GoldenValues.Input("y", false, [3, 4], -1, 1),
        };
        var states = evaluation.Graph.States.ToDictionary(GradientCheck.LeafName, s => GoldenValues.Parameter(GradientCheck.LeafName(s), [4]));
        var parameters = evaluation.Graph.Parameters.ToDictionary(GradientCheck.LeafName, p => GoldenValues.Parameter(GradientCheck.LeafName(p), [4]));
        var leaves = states.Concat(parameters).ToDictionary();
        TensorAssert.Close(
            ReferenceInterpreter.Run(inference.Graph, new Dictionary<string, HostTensor> { ["x"] = inputs["x"] }, leaves).Outputs["z"],
            ReferenceInterpreter.Run(evaluation.Graph, inputs, leaves).Outputs["z"], 0);
    }

    [Fact]
    public void InferenceGraphsGetNoTrainStep()
    {
        var model = CompilerDriver.Elaborate(Source("adam()"), mode: ExecutionMode.Inference);
        var (graph, training, passes) = GraphPipeline.Run(model);
        // Nothing in this graph can be merged or simplified: the cleanup passes return it as it is.
        Assert.Same(model.Graph, graph);
        Assert.Null(training);
        Assert.Equal(["cse", "fold-conv", "simplify", "gemm-layout", "dce"], passes.Select(p => p.Name));
    }

    [Fact]
    public void SchedulesAreReadFromTheDeclaration()
    {
        var model = CompilerDriver.Elaborate(Source("adam(schedule = one_cycle(pct_start = 0.25))"), mode: ExecutionMode.Training);
        Assert.Equal(new ScheduleSpec(ScheduleKind.OneCycle, PctStart: 0.25), OptimizerSettings.From(model.Optimizer).Schedule);
        model = CompilerDriver.Elaborate(Source("sgd(schedule = step(every = 3, gamma = 0.5))"), mode: ExecutionMode.Training);
        Assert.Equal(new ScheduleSpec(ScheduleKind.Step, Every: 3, Gamma: 0.5), OptimizerSettings.From(model.Optimizer).Schedule);
        model = CompilerDriver.Elaborate(Source("sgd(schedule = cosine(warmup = 2, min_lr = 1e-5))"), mode: ExecutionMode.Training);
        Assert.Equal(new ScheduleSpec(ScheduleKind.Cosine, Warmup: 2, MinLearningRate: 1e-5), OptimizerSettings.From(model.Optimizer).Schedule);
    }

    private static HostTensor Tensor(double[] data, Node like) => HostTensor.Create([.. like.Type.Shape.Dims.Select(d => (int)d.FixedSize)], data);

    private static HostTensor Tensor(double[] data, HostTensor like) => HostTensor.Create(like.Shape, data);

    /// <summary>torch.optim.SGD / Adam / AdamW (single-tensor code paths) and clip_grad_norm_, in doubles.</summary>
    private sealed class TorchOptimizer(OptimizerSpec spec, Dictionary<string, double[]> parameters)
    {
        private readonly Dictionary<string, double[]> _first = parameters.ToDictionary(p => p.Key, p => new double[p.Value.Length]);
        private readonly Dictionary<string, double[]> _second = parameters.ToDictionary(p => p.Key, p => new double[p.Value.Length]);
        private int _step;

        public Dictionary<string, double[]> Parameters { get; } = parameters;

        public void Step(Dictionary<string, double[]> gradients, double lr)
        {
            _step++;
            if (spec.Clip > 0)
            {
                var norm = Math.Sqrt(gradients.Values.Sum(g => g.Sum(v => v * v)));
                var coefficient = spec.Clip / (norm + 1e-6);
                if (coefficient < 1)
                {
                    foreach (var g in gradients.Values)
                    {
                        for (var i = 0; i < g.Length; i++)
                        {
                            g[i] *= coefficient;
                        }
                    }
                }
            }
            foreach (var (name, p) in Parameters)
            {
                var g = gradients[name];
                var m = _first[name];
                var v = _second[name];
                for (var i = 0; i < p.Length; i++)
                {
                    var d = g[i];
                    if (spec.Kind == OptimizerKind.Sgd)
                    {
                        d += spec.WeightDecay * p[i];
                        if (spec.Momentum > 0)
                        {
                            m[i] = _step == 1 ? d : spec.Momentum * m[i] + d;
                            d = spec.Nesterov ? d + spec.Momentum * m[i] : m[i];
                        }
                        p[i] -= lr * d;
                        continue;
                    }
                    if (spec.Kind == OptimizerKind.AdamW)
                    {
                        p[i] *= 1 - lr * spec.WeightDecay;
                    }
                    else
                    {
                        d += spec.WeightDecay * p[i];
                    }
                    m[i] = spec.Beta1 * m[i] + (1 - spec.Beta1) * d;
                    v[i] = spec.Beta2 * v[i] + (1 - spec.Beta2) * d * d;
                    var denominator = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(spec.Beta2, _step)) + spec.Epsilon;
                    p[i] -= lr / (1 - Math.Pow(spec.Beta1, _step)) * m[i] / denominator;
                }
            }
        }
    }
}
