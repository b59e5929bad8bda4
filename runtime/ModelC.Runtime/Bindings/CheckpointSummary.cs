namespace ModelC.Runtime.Bindings;

/// <summary>What <see cref="CompiledModel.Load(string)"/> restored from a checkpoint.</summary>
/// <param name="Metadata">The file's metadata strings.</param>
/// <param name="Tensors">The names of the tensors restored, in the file's order: every parameter and state, and the optimizer's when the file holds them.</param>
/// <param name="OptimizerRestored">
/// Whether the file held the optimizer's state, so that training continues where it stopped.
/// When it did not (a PyTorch <c>state_dict</c>, a model without a loss), the optimizer starts
/// afresh at step 0.
/// </param>
/// <param name="Step">The optimizer steps the model has taken, now that it is loaded.</param>
public sealed record CheckpointSummary(IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<string> Tensors, bool OptimizerRestored, long Step);
