using ModelC.Compiler.IR;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes.Optimizers;

/// <summary>A train step: the graph and what the runtime needs to drive it.</summary>
/// <param name="Graph">Forward, backward and update in one graph.</param>
/// <param name="Training">The optimizer and the names of the tensors the host drives.</param>
public sealed record TrainStepGraph(Graph Graph, TrainingSpec Training);
