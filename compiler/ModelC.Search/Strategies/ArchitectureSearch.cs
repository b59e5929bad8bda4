using System.Diagnostics;
using ModelC.Search.Evaluation;
using ModelC.Search.Programs;
using ModelC.Search.Sampling;
using ModelC.Search.Space;

namespace ModelC.Search.Strategies;

/// <summary>
/// Regularized evolution or random search over a grammar, evaluating candidates natively.
/// Candidates are proposed <see cref="SearchSettings.Jobs"/> at a time from the population as it
/// stands, trained in parallel, and added in order, so the search depends only on the seed and
/// the results: the same seed gives the same candidates whatever the machine's speed. Every
/// result is appended to <c>candidates.jsonl</c> as it comes; a resumed search replays the
/// recorded ones (same choices, same results) and goes on from where the killed one stopped.
/// An architecture met again reuses its first result.
/// </summary>
public sealed class ArchitectureSearch
{
    private readonly CandidateEvaluator _evaluator;
    private readonly ArchitectureSampler _sampler;
    private readonly ArchitectureMutator _mutator;
    private readonly SearchFolder _folder;

    /// <summary>A search of <paramref name="sampler"/>'s grammar, evaluated by <paramref name="evaluator"/>, writing into <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The settings cannot run.</exception>
    public ArchitectureSearch(CandidateEvaluator evaluator, ArchitectureSampler sampler, SearchSettings settings, string output)
    {
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        _sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (settings.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }
        _mutator = new ArchitectureMutator(sampler);
        _folder = new SearchFolder(output ?? throw new ArgumentNullException(nameof(output)));
    }

    /// <summary>The settings.</summary>
    public SearchSettings Settings { get; }

    /// <summary>
    /// Runs the search to its budget (or until <paramref name="cancellation"/>), writing the
    /// leaderboard, the best architecture and the plot after every round of candidates.
    /// </summary>
    /// <param name="progress">Told of each candidate.</param>
    /// <param name="resume">Continue the search recorded in the output folder (with the same settings).</param>
    /// <param name="cancellation">Stops the search; candidates in training are abandoned, the records kept.</param>
    /// <returns>Every candidate, in order.</returns>
    /// <exception cref="InvalidOperationException">The folder holds another search (without <paramref name="resume"/>, or with other settings), or another search is writing it now.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public IReadOnlyList<SearchRecord> Run(ISearchProgress? progress = null, bool resume = false, CancellationToken cancellation = default)
    {
        using var folderLock = _folder.Lock();
        var recorded = _folder.Open(Describe(), resume);
        var clock = Stopwatch.StartNew();
        var random = new Random(unchecked((int)(Settings.Seed ^ (Settings.Seed >> 32))));
        var history = new List<(SearchRecord Record, ArchitectureNode Architecture)>();
        var population = new List<int>();
        var firstOfHash = new Dictionary<string, SearchRecord>();
        var evaluatedNow = 0;
        while (!Exhausted(history.Count, clock.Elapsed))
        {
            var count = Math.Min(Settings.Jobs, (Settings.Candidates ?? int.MaxValue) - history.Count);
            var round = Enumerable.Range(history.Count, count).Select(index => Propose(index, history, population, random)).ToArray();
            var results = Evaluate(round, recorded, firstOfHash, cancellation);
            foreach (var (candidate, (record, fresh)) in round.Zip(results))
            {
                history.Add((record, candidate.Program.Architecture));
                firstOfHash.TryAdd(record.Hash, record);
                population.Add(record.Index);
                if (population.Count > Settings.Population)
                {
                    population.RemoveAt(0);
                }
                if (fresh)
                {
                    _folder.Append(record, candidate.Program);
                    evaluatedNow++;
                }
                progress?.CandidateFinished(record, Best(history), clock.Elapsed, Remaining(history.Count, evaluatedNow, clock.Elapsed));
            }
            _folder.WriteReports(history.Select(h => h.Record).ToArray(), Settings);
        }
        return [.. history.Select(h => h.Record)];
    }

    private sealed record Proposal(int Index, int? Parent, CandidateProgram Program, string? Seed = null);

    // Samples and then the seeds fill the population (for either strategy, so that both evaluate the same seeds at the
    // same places); then each child mutates the winner of a tournament. The seeds come last because the oldest individual
    // dies each cycle: first, they would die at the first cycles, before a tournament could pick them.
    private Proposal Propose(int index, List<(SearchRecord Record, ArchitectureNode Architecture)> history, List<int> population, Random random)
    {
        var seeds = Settings.SeedArchitectures ?? [];
        var firstSeed = Math.Max(0, Settings.Population - seeds.Count);
        if (index >= firstSeed && index < firstSeed + seeds.Count)
        {
            var seed = seeds[index - firstSeed];
            return new Proposal(index, null, _evaluator.Program(SeedArchitectures.Of(seed, _evaluator.Task.Signature.SearchInput)), seed);
        }
        if (Settings.Strategy == SearchStrategy.Random || index < Settings.Population)
        {
            return new Proposal(index, null, _evaluator.Program(_sampler.Sample(_evaluator.Task.Signature.SearchInput, random)));
        }
        var winner = population[random.Next(population.Count)];
        for (var i = 1; i < Settings.SampleSize; i++)
        {
            var contender = population[random.Next(population.Count)];
            if (history[contender].Record.ValidationAccuracy > history[winner].Record.ValidationAccuracy)
            {
                winner = contender;
            }
        }
        return new Proposal(index, winner, _evaluator.Program(_mutator.Mutate(history[winner].Architecture, random)));
    }

    // Recorded results are replayed, repeats reuse the first result, the rest train in parallel.
    private (SearchRecord Record, bool Fresh)[] Evaluate(Proposal[] round, IReadOnlyList<SearchRecord> recorded, Dictionary<string, SearchRecord> firstOfHash, CancellationToken cancellation)
    {
        var results = new (SearchRecord Record, bool Fresh)[round.Length];
        var repeatOf = new int[round.Length];
        var toTrain = new List<int>();
        for (var i = 0; i < round.Length; i++)
        {
            var (index, _, program, _) = round[i];
            repeatOf[i] = -1;
            if (index < recorded.Count)
            {
                results[i] = recorded[index].Hash == program.Hash
                    ? (recorded[index], false)
                    : throw new InvalidOperationException($"the recorded search differs at candidate {index} ({recorded[index].Hash}, now {program.Hash}): it was run with another grammar or compiler version");
            }
            else if (firstOfHash.TryGetValue(program.Hash, out var earlier))
            {
                results[i] = (Repeat(earlier, round[i]), true);
            }
            else if ((repeatOf[i] = toTrain.FindIndex(j => round[j].Program.Hash == program.Hash)) < 0)
            {
                toTrain.Add(i);
            }
            else
            {
                repeatOf[i] = toTrain[repeatOf[i]];
            }
        }
        var trained = new CandidateResult[round.Length];
        Parallel.ForEach(toTrain, new ParallelOptions { MaxDegreeOfParallelism = Settings.Jobs, CancellationToken = cancellation }, i =>
            trained[i] = _evaluator.Evaluate(round[i].Program, _folder.WorkFolder(round[i].Index), cancellation));
        foreach (var i in toTrain)
        {
            results[i] = (Record(round[i], trained[i]), true);
        }
        for (var i = 0; i < round.Length; i++)
        {
            if (repeatOf[i] >= 0)
            {
                results[i] = (Repeat(results[repeatOf[i]].Record, round[i]), true);
            }
        }
        return results;
    }

    private static SearchRecord Repeat(SearchRecord first, Proposal proposal) =>
        first with { Index = proposal.Index, Parent = proposal.Parent, Repeat = true, CompileSeconds = 0, TrainSeconds = 0, SeedArchitecture = proposal.Seed };

    private static SearchRecord Record(Proposal proposal, CandidateResult result) =>
        new(proposal.Index, result.Hash, proposal.Parent, result.Parameters, proposal.Program.Architecture.Macs, result.ValidationAccuracy, result.TestAccuracy,
            result.CompileSeconds, result.TrainSeconds, result.Failure, false, proposal.Seed);

    private static SearchRecord Best(List<(SearchRecord Record, ArchitectureNode Architecture)> history) =>
        history.Select(h => h.Record).Aggregate((best, r) => r.ValidationAccuracy > best.ValidationAccuracy ? r : best);

    private bool Exhausted(int done, TimeSpan elapsed) =>
        done >= (Settings.Candidates ?? int.MaxValue) || elapsed >= (Settings.TimeBudget ?? TimeSpan.MaxValue);

    private TimeSpan? Remaining(int done, int evaluatedNow, TimeSpan elapsed)
    {
        TimeSpan? byTime = Settings.TimeBudget is { } budget ? (budget > elapsed ? budget - elapsed : TimeSpan.Zero) : null;
        TimeSpan? byCount = Settings.Candidates is { } total && evaluatedNow > 0 ? elapsed / evaluatedNow * (total - done) : null;
        return byTime is { } t && byCount is { } c ? (t < c ? t : c) : byTime ?? byCount;
    }

    // What a resumed search must match: everything that decides its candidates and results.
    private string Describe() =>
        $"task {_evaluator.Task.Name} ({_evaluator.Task.Data.Description}); recipe {_evaluator.Recipe}; strategy {Settings.Strategy}, population {Settings.Population}, "
        + $"sample size {Settings.SampleSize}, seed {Settings.Seed}, jobs {Settings.Jobs}, seeds [{string.Join(", ", Settings.SeedArchitectures ?? [])}]; grammar: depth {_sampler.Grammar.MaxDepth}, C {_sampler.Grammar.ComputationProbability}, "
        + $"limits {_sampler.Grammar.MaxParameters} parameters, {_sampler.Grammar.MaxMacs} MACs, {_sampler.Grammar.MaxLayers} layers";
}
