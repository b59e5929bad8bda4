using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes.Optimizers;

/// <summary>
/// The train step as two programs, for data-parallel training, where the gradients of every
/// process are summed between the two: <see cref="SplitTrainStepGraphs.Gradients"/> is the
/// forward pass and its reverse-mode gradients (outputs <c>NAME:grad</c>, the loss, and the model's
/// state updates); <see cref="SplitTrainStepGraphs.Update"/> takes those gradients as inputs of
/// the same names and applies clipping and the optimizer's update, exactly as
/// <see cref="TrainStepConstruction"/> does in the fused step. Each program is fused on its own.
/// </summary>
public static class SplitTrainStep
{
    /// <summary>The suffix of a gradient's name, output of the gradients program and input of the update program.</summary>
    public const string GradientSuffix = ":grad";

    /// <summary>Splits the train step of <paramref name="forward"/> (a graph with a loss) under <paramref name="optimizer"/>.</summary>
    /// <exception cref="ArgumentException">The graph has no loss.</exception>
    public static SplitTrainStepGraphs Build(Graph forward, OptimizerSpec optimizer)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(optimizer);
        var gradients = GraphPipeline.Run(forward, [.. GraphPipeline.Cleanup, new ReverseModePass(), .. GraphPipeline.Lowering]).Graph;
        var update = GraphPipeline.Run(UpdateInputs(gradients), [new TrainStepConstruction(optimizer), .. GraphPipeline.Cleanup]).Graph;
        return new SplitTrainStepGraphs(gradients, update, TrainStep.Spec(optimizer));
    }

    // The update's starting graph: each differentiated parameter with its gradient fed as an input,
    // and each state of the model kept unchanged, so that the update program holds every tensor of
    // a checkpoint (the same names as the fused step's).
    private static Graph UpdateInputs(Graph gradients)
    {
        var builder = new GraphBuilder(gradients.Name);
        var parameters = gradients.Parameters.Select(p => (ParameterOp)p.Op).ToDictionary(p => p.Name);
        foreach (var output in gradients.Outputs.Where(o => o.Role == OutputRole.Gradient))
        {
            var parameter = parameters[output.Name];
            builder.Parameter(parameter.Name, parameter.Type, parameter.Init);
            builder.Gradient(parameter.Name, builder.Input(parameter.Name + GradientSuffix, parameter.Type));
        }
        foreach (var state in gradients.States.Select(s => (StateOp)s.Op))
        {
            builder.StateUpdate(state.Name, builder.State(state.Name, state.Type, state.Init));
        }
        return builder.Build();
    }
}
