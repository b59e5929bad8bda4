using ModelC.Compiler.IR;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes.Optimizers;

/// <summary>A train step split in two programs (<see cref="SplitTrainStep"/>).</summary>
/// <param name="Gradients">Forward pass, loss and gradients; the model's state updates.</param>
/// <param name="Update">Clipping and the optimizer's update of every parameter from its gradient input.</param>
/// <param name="Training">The optimizer and the tensors the host drives (the update program's learning rate and step count, the gradients program's loss).</param>
public sealed record SplitTrainStepGraphs(Graph Gradients, Graph Update, TrainingSpec Training);
