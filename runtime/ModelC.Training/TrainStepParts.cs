using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Training;

/// <summary>
/// A train step compiled as two programs, for data-parallel training: between them, the
/// gradients of every rank are summed. <paramref name="Gradients"/> runs the forward pass and the
/// gradients (outputs <c>NAME:grad</c> and the loss); <paramref name="Update"/> takes the gradients
/// as inputs of the same names and applies the optimizer. The update program holds every tensor
/// of a checkpoint (parameters, the model's states, the optimizer's), named as in the fused train
/// step, so checkpoints of either kind resume the other.
/// </summary>
/// <param name="Gradients">An instance of the gradients program at the per-rank batch size; the session does not own it.</param>
/// <param name="Update">An instance of the update program; the session does not own it.</param>
/// <param name="Training">The optimizer, the update's learning-rate input and step state, and the gradients program's loss output.</param>
public sealed record TrainStepParts(ModelInstance Gradients, ModelInstance Update, TrainingSpec Training);
