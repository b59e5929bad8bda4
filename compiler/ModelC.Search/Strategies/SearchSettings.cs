namespace ModelC.Search.Strategies;

/// <summary>The settings of a search. The defaults are einspace's for regularized evolution: population 100, tournaments of 10, 1,000 candidates.</summary>
/// <param name="Strategy">Evolution or random search.</param>
/// <param name="Population">Individuals alive at once; the first this many candidates are samples.</param>
/// <param name="SampleSize">Individuals drawn (with replacement) for a tournament.</param>
/// <param name="Candidates">Stop after this many candidates; null for no limit.</param>
/// <param name="TimeBudget">Start no candidates after this much wall-clock time; null for no limit.</param>
/// <param name="Jobs">Candidates trained at once (each on one thread).</param>
/// <param name="Seed">Seeds the search's choices, and every candidate's parameters and sample order.</param>
/// <param name="SeedArchitectures">Names of <see cref="Sampling.SeedArchitectures"/> that end the initial population, after the samples (where they live longest), for either strategy: evolution and random search compared from the same seeds.</param>
public sealed record SearchSettings(
    SearchStrategy Strategy = SearchStrategy.Evolution,
    int Population = 100,
    int SampleSize = 10,
    int? Candidates = 1_000,
    TimeSpan? TimeBudget = null,
    int Jobs = 1,
    ulong Seed = 0,
    IReadOnlyList<string>? SeedArchitectures = null)
{
    /// <summary>Why the settings cannot run, or null.</summary>
    public string? Problem() =>
        Population < 1 ? $"the population must be at least 1, got {Population}"
        : SampleSize < 1 ? $"the tournament sample size must be at least 1, got {SampleSize}"
        : Candidates < 1 ? $"the candidate budget must be at least 1, got {Candidates}"
        : TimeBudget <= TimeSpan.Zero ? $"the time budget must be positive, got {TimeBudget}"
        : Jobs < 1 ? $"jobs must be at least 1, got {Jobs}"
        : Candidates is null && TimeBudget is null ? "a search needs a budget: candidates or time"
        : null;
}
