using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes.Optimizers;

/// <summary>
/// The pass that turns a differentiated graph (after <see cref="ReverseModePass"/>) into one
/// train step: each parameter's gradient, clipped by global norm if asked, goes through the
/// optimizer's update and becomes an <see cref="OutputRole.ParameterUpdate"/> result instead of
/// a <see cref="OutputRole.Gradient"/>. The optimizer's moments and the step count are states
/// (zero at the start) with their own updates, so that one run of the graph is a whole step and
/// a checkpoint of the states resumes it exactly. The learning rate is a scalar input
/// (<see cref="TrainStep.LearningRateInput"/>), set by the host from the schedule before each run.
/// </summary>
public sealed class TrainStepConstruction(OptimizerSpec optimizer) : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "train-step";

    /// <summary>The optimizer whose update the step applies.</summary>
    public OptimizerSpec Optimizer { get; } = optimizer ?? throw new ArgumentNullException(nameof(optimizer));

    /// <inheritdoc/>
    public Graph Run(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var builder = new GraphBuilder(graph.Name);
        var copies = builder.Append(graph);
        builder.Scope = null;
        foreach (var output in graph.Outputs.Where(o => o.Role != OutputRole.Gradient))
        {
            builder.Result(output with { Value = copies[output.Value] });
        }

        var parameters = graph.Parameters.ToDictionary(p => ((ParameterOp)p.Op).Name, p => copies[p]);
        var gradients = graph.Outputs
            .Where(o => o.Role == OutputRole.Gradient)
            .Select(o => (Parameter: parameters[o.Name], Gradient: copies[o.Value]))
            .ToList();
        if (Optimizer.Clip > 0)
        {
            gradients = Clip(builder, gradients, Optimizer.Clip);
        }

        var rate = builder.Input(TrainStep.LearningRateInput, TensorType.ScalarF32);
        var steps = builder.State(TrainStep.StepState, TensorType.ScalarF32, new ConstantInit(0));
        var step = builder.Binary(BinaryKind.Add, steps, 1.0);
        builder.StateUpdate(TrainStep.StepState, step);
        var rule = new OptimizerRule(builder, Optimizer, rate, step);
        foreach (var (parameter, gradient) in gradients)
        {
            builder.ParameterUpdate(((ParameterOp)parameter.Op).Name, rule.Update(parameter, gradient));
        }
        return builder.Build();
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
