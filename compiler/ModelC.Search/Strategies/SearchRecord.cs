namespace ModelC.Search.Strategies;

/// <summary>One evaluated candidate, as <c>candidates.jsonl</c> holds it (a line each, in order).</summary>
/// <param name="Index">Its place in the search, from 0.</param>
/// <param name="Hash">Its content hash (<see cref="Programs.CandidateProgram.Hash"/>).</param>
/// <param name="Parent">The index of the candidate it mutates; null for a sample.</param>
/// <param name="Parameters">Trainable parameters, the head included.</param>
/// <param name="Macs">Forward multiply-accumulates per sample of the architecture.</param>
/// <param name="ValidationAccuracy">The fitness.</param>
/// <param name="TestAccuracy">The test set's accuracy, reported only.</param>
/// <param name="CompileSeconds">Wall-clock seconds compiling it.</param>
/// <param name="TrainSeconds">Wall-clock seconds training and measuring it.</param>
/// <param name="Failure">Why training failed (it diverged), or null.</param>
/// <param name="Repeat">True when an earlier candidate had the same architecture, whose result it reuses.</param>
/// <param name="SeedArchitecture">The seed architecture it is (<see cref="Sampling.SeedArchitectures"/>), or null.</param>
public sealed record SearchRecord(
    int Index, string Hash, int? Parent, long Parameters, long Macs, double ValidationAccuracy, double TestAccuracy,
    double CompileSeconds, double TrainSeconds, string? Failure, bool Repeat, string? SeedArchitecture = null)
{
    /// <summary>The records of the search in <paramref name="folder"/> (its <c>candidates.jsonl</c>), in order.</summary>
    /// <exception cref="IOException">The folder holds no search.</exception>
    /// <exception cref="InvalidOperationException">A line is not a record.</exception>
    public static IReadOnlyList<SearchRecord> ReadAll(string folder) => new SearchFolder(folder ?? throw new ArgumentNullException(nameof(folder))).ReadRecords();
}
