namespace ModelC.Compiler.Passes;

/// <summary>What one pass of a pipeline run did.</summary>
/// <param name="Name">
/// The pass's label in this pipeline: its name, with <c>.2</c>, <c>.3</c>, … added when the same
/// pass runs again (the train step cleans up twice: <c>cse</c>, then <c>cse.2</c>).
/// </param>
/// <param name="NodeCount">How many nodes the graph has after the pass.</param>
/// <param name="Elapsed">The time the pass took, not counting the verifier.</param>
public sealed record PassRecord(string Name, int NodeCount, TimeSpan Elapsed);
