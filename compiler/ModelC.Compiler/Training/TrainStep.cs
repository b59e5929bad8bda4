using ModelC.Compiler.Autodiff;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Training;

/// <summary>A train step: the graph and what the runtime needs to drive it.</summary>
/// <param name="Graph">Forward, backward and update in one graph.</param>
/// <param name="Training">The optimizer and the names of the tensors the host drives.</param>
public sealed record TrainStepGraph(Graph Graph, TrainingSpec Training);

/// <summary>
/// Builds one compiled train step from a training-mode model graph: the forward pass, its
/// reverse-mode gradients, global-norm clipping, and the optimizer's update of every parameter
/// as <see cref="OutputRole.ParameterUpdate"/> results. The optimizer's moments and the step
/// count are states (zero at the start) with their own updates, so that one run of the graph
/// is a whole step and a checkpoint of the states resumes it exactly. The learning rate is a
/// scalar input, set by the host from the schedule before each run.
/// </summary>
public static class TrainStep
{
    /// <summary>The scalar input that receives each step's learning rate.</summary>
    public const string LearningRateInput = "optimizer.lr";

    /// <summary>The scalar state counting the steps taken.</summary>
    public const string StepState = "optimizer.step";

    /// <summary>
    /// What a model compiles to: its train step when elaborated for training with a loss (under
    /// its declared optimizer, or <see cref="OptimizerSettings.Default"/>), else its graph as is.
    /// </summary>
    public static (Graph Graph, TrainingSpec? Training) Of(ElaboratedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Mode != ExecutionMode.Training || model.Graph.Loss is null)
        {
            return (model.Graph, null);
        }
        var step = Build(model.Graph, OptimizerSettings.From(model.Optimizer));
        return (step.Graph, step.Training);
    }

    /// <summary>The train step of <paramref name="forward"/> (a graph with a loss) under <paramref name="optimizer"/>.</summary>
    /// <exception cref="ArgumentException">The graph has no loss.</exception>
    public static TrainStepGraph Build(Graph forward, OptimizerSpec optimizer)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(optimizer);
        var differentiated = ReverseMode.Differentiate(forward);
        var builder = new GraphBuilder(forward.Name);
        var copies = builder.Append(differentiated);
        builder.Scope = null;
        foreach (var output in differentiated.Outputs.Where(o => o.Role != OutputRole.Gradient))
        {
            builder.Result(output with { Value = copies[output.Value] });
        }

        var parameters = differentiated.Parameters.ToDictionary(p => ((ParameterOp)p.Op).Name, p => copies[p]);
        var gradients = differentiated.Outputs
            .Where(o => o.Role == OutputRole.Gradient)
            .Select(o => (Parameter: parameters[o.Name], Gradient: copies[o.Value]))
            .ToList();
        if (optimizer.Clip > 0)
        {
            gradients = Clip(builder, gradients, optimizer.Clip);
        }

        var rate = builder.Input(LearningRateInput, TensorType.ScalarF32);
        var steps = builder.State(StepState, TensorType.ScalarF32, new ConstantInit(0));
        var step = builder.Binary(BinaryKind.Add, steps, 1.0);
        builder.StateUpdate(StepState, step);
        var rule = new OptimizerRule(builder, optimizer, rate, step);
        foreach (var (parameter, gradient) in gradients)
        {
            builder.ParameterUpdate(((ParameterOp)parameter.Op).Name, rule.Update(parameter, gradient));
        }

        var graph = builder.Build();
        GraphVerifier.Verify(graph);
        return new TrainStepGraph(graph, new TrainingSpec(optimizer, LearningRateInput, StepState, "loss"));
    }

    // torch.nn.utils.clip_grad_norm_: scale every gradient by clip / (‖g‖ + 1e-6) when that is below 1.
    private static List<(Node Parameter, Node Gradient)> Clip(GraphBuilder builder, List<(Node Parameter, Node Gradient)> gradients, double clip)
    {
        Node? squares = null;
        foreach (var (_, gradient) in gradients)
        {
            var square = builder.Binary(BinaryKind.Mul, gradient, gradient);
            var sum = builder.Reduce(ReduceKind.Sum, square, [.. Enumerable.Range(0, gradient.Type.Shape.Rank)]);
            squares = squares is null ? sum : builder.Binary(BinaryKind.Add, squares, sum);
        }
        if (squares is null)
        {
            return gradients;
        }
        var norm = builder.Unary(UnaryKind.Sqrt, squares);
        var coefficient = builder.Binary(BinaryKind.Div, builder.Constant(clip, TensorType.ScalarF32), builder.Binary(BinaryKind.Add, norm, 1e-6));
        var scale = builder.Binary(BinaryKind.Min, coefficient, 1.0);
        return [.. gradients.Select(g => (g.Parameter, builder.Binary(BinaryKind.Mul, g.Gradient, scale)))];
    }
}
