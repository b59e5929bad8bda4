using ModelC.Compiler.IR;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Driver;

/// <summary>What one compiled program is made from: a verified graph and, for a train step, what the runtime needs to drive it.</summary>
/// <param name="Graph">The graph to lower to kernels.</param>
/// <param name="Training">For a train step, its optimizer and driven tensors (recorded in the manifest); null otherwise.</param>
public sealed record ProgramSource(Graph Graph, TrainingSpec? Training = null);
