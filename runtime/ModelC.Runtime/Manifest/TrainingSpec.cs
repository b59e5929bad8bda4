namespace ModelC.Runtime.Manifest;

/// <summary>
/// What makes a compiled model a train step: one run computes the loss, the gradients and the
/// optimizer's update, and the runtime then commits every tensor that
/// <see cref="TensorSpec.Replaces"/> a parameter or state.
/// </summary>
/// <param name="Optimizer">The optimizer compiled into the step.</param>
/// <param name="LearningRateInput">The scalar input that receives each step's learning rate.</param>
/// <param name="StepState">The scalar state counting the steps taken (Adam's bias correction reads it).</param>
/// <param name="LossOutput">The output holding the step's loss (computed before the update).</param>
public sealed record TrainingSpec(OptimizerSpec Optimizer, string LearningRateInput, string StepState, string LossOutput);
