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
/// A step whose loss, learning rate or any gradient is infinite or NaN is skipped: every update
/// (parameters, moments, step count, the model's states) then selects the old value, bit for
/// bit. The guard is one scalar reduced from those values before any update, so the updates can
/// be written over the old values (no copy to undo) and a host sees the skip in the step count.
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

        var parameters = graph.Parameters.ToDictionary(p => ((ParameterOp)p.Op).Name, p => copies[p]);
        var gradients = graph.Outputs
            .Where(o => o.Role == OutputRole.Gradient)
            .Select(o => (Parameter: parameters[o.Name], Gradient: copies[o.Value]))
            .ToList();
        var rate = builder.Input(TrainStep.LearningRateInput, TensorType.ScalarF32);
        var loss = graph.Outputs.Where(o => o.Role == OutputRole.Loss).Select(o => copies[o.Value]);
        var finite = AllFinite(builder, [.. loss, rate, .. gradients.Select(g => g.Gradient)]);
        Node Guard(Node next, Node old) => builder.Select(builder.BroadcastTo(finite, old.Type.Shape), next, old);

        var states = graph.States.ToDictionary(s => ((StateOp)s.Op).Name, s => copies[s]);
        foreach (var output in graph.Outputs.Where(o => o.Role != OutputRole.Gradient))
        {
            var value = copies[output.Value];
            builder.Result(output with { Value = output.Role == OutputRole.StateUpdate ? Guard(value, states[output.Name]) : value });
        }
        if (Optimizer.Clip > 0)
        {
            gradients = Clip(builder, gradients, Optimizer.Clip);
        }

        var steps = builder.State(TrainStep.StepState, TensorType.ScalarF32, new ConstantInit(0));
        var step = builder.Binary(BinaryKind.Add, steps, 1.0);
        builder.StateUpdate(TrainStep.StepState, Guard(step, steps));
        var rule = new OptimizerRule(builder, Optimizer, rate, step, Guard);
        foreach (var (parameter, gradient) in gradients)
        {
            builder.ParameterUpdate(((ParameterOp)parameter.Op).Name, rule.Update(parameter, gradient));
        }
        return builder.Build();
    }

    // True when every value is finite: x·0 is 0 for finite x and NaN for ±inf and NaN, so the sum
    // of all of them is 0 exactly when all are finite, in any order of summation.
    private static Node AllFinite(GraphBuilder builder, IReadOnlyList<Node> values)
    {
        Node? total = null;
        foreach (var value in values)
        {
            var zeros = builder.Reduce(ReduceKind.Sum, builder.Binary(BinaryKind.Mul, value, 0.0), [.. Enumerable.Range(0, value.Type.Shape.Rank)]);
            total = total is null ? zeros : builder.Binary(BinaryKind.Add, total, zeros);
        }
        return builder.Compare(CompareKind.Eq, total!, builder.Constant(0, TensorType.ScalarF32));
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
