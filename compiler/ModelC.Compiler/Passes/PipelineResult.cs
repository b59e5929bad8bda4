using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes;

/// <summary>The outcome of a <see cref="GraphPipeline"/> run.</summary>
/// <param name="Graph">The graph after the last pass: what the backend compiles.</param>
/// <param name="Training">For a train step, the optimizer and the tensors the host drives; otherwise null.</param>
/// <param name="Passes">One record per pass, in the order they ran.</param>
public sealed record PipelineResult(Graph Graph, TrainingSpec? Training, ImmutableArray<PassRecord> Passes);
