using ModelC.Compiler.IR;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes.Optimizers;

/// <summary>
/// The train step of a model: the forward pass, its reverse-mode gradients, global-norm
/// clipping and the optimizer's update of every parameter in one graph, made by the
/// <see cref="GraphPipeline"/> (see <see cref="TrainStepConstruction"/> for its shape).
/// </summary>
public static class TrainStep
{
    /// <summary>The scalar input that receives each step's learning rate.</summary>
    public const string LearningRateInput = "optimizer.lr";

    /// <summary>The scalar state counting the steps taken.</summary>
    public const string StepState = "optimizer.step";

    /// <summary>
    /// The train step of <paramref name="forward"/> (a graph with a loss) under
    /// <paramref name="optimizer"/>: <see cref="GraphPipeline.TrainStepPasses"/> run on it.
    /// </summary>
    /// <exception cref="ArgumentException">The graph has no loss.</exception>
    public static TrainStepGraph Build(Graph forward, OptimizerSpec optimizer)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(optimizer);
        var result = GraphPipeline.Run(forward, GraphPipeline.TrainStepPasses(optimizer));
        return new TrainStepGraph(result.Graph, Spec(optimizer));
    }

    /// <summary>What the host needs to drive a train step under <paramref name="optimizer"/>.</summary>
    public static TrainingSpec Spec(OptimizerSpec optimizer) => new(optimizer, LearningRateInput, StepState, "loss");
}
