using System.Text.Json;
using ModelC.Search.Evaluation;
using ModelC.Search.Programs;
using ModelC.Search.Sampling;
using ModelC.Search.Space;
using ModelC.Search.Strategies;

namespace ModelC.Search.Tests;

/// <summary>
/// Whole searches on a small synthetic task (candidates compiled and trained for one epoch):
/// the same seed gives the same search, a resumed search the same as an uninterrupted one, and
/// the folder holds the records and reports.
/// </summary>
public sealed class SearchRunTests
{
    // Small trees, so that each candidate compiles in seconds.
    private static readonly EinspaceGrammar Small = EinspaceGrammar.Default with { MaxDepth = 3, MaxParameters = 5_000, MaxMacs = 20_000, MaxLayers = 12 };

    private static readonly SearchTask Spirals = SearchTask.Load("spirals:classes=3", null, 256, 64, 0);

    private static IReadOnlyList<SearchRecord> Run(string folder, SearchSettings settings, bool resume = false) =>
        new ArchitectureSearch(new CandidateEvaluator(Spirals, new TrainingRecipe(Epochs: 1, Batch: 32), settings.Seed), new ArchitectureSampler(Small), settings, folder)
            .Run(resume: resume);

    [Fact]
    public void TheSameSeedGivesTheSameSearchAndAResumedOneTheSameAsAWholeOne()
    {
        using var folder = new TempDirectory();
        var settings = new SearchSettings(SearchStrategy.Evolution, Population: 2, SampleSize: 2, Candidates: 4, Jobs: 2, Seed: 3);
        var whole = Run(folder.File("whole"), settings);
        Assert.Equal(4, whole.Count);
        Assert.Equal([null, null], whole.Take(2).Select(r => r.Parent));
        Assert.All(whole.Skip(2), r => Assert.InRange(r.Parent!.Value, 0, 1));

        var again = Run(folder.File("again"), settings);
        Assert.Equal(Comparable(whole), Comparable(again));

        // Killed after two candidates, then resumed: the same four.
        Run(folder.File("resumed"), settings with { Candidates = 2 });
        var resumed = Run(folder.File("resumed"), settings, resume: true);
        Assert.Equal(Comparable(whole), Comparable(resumed));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(folder.File("resumed"), "candidates.jsonl")).Length);

        var board = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(folder.File("whole"), "leaderboard.json")));
        var best = board[0].GetProperty("hash").GetString()!;
        Assert.Contains($"einspace candidate {best}", File.ReadAllText(Path.Combine(folder.File("whole"), "best.mdl")), StringComparison.Ordinal);
        Assert.Contains("<path", File.ReadAllText(Path.Combine(folder.File("whole"), "progress.svg")), StringComparison.Ordinal);
        Assert.Contains(best, File.ReadAllText(Path.Combine(folder.File("whole"), "leaderboard.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void ASearchIsNotOverwrittenNorResumedWithOtherSettings()
    {
        using var folder = new TempDirectory();
        var settings = new SearchSettings(SearchStrategy.Random, Candidates: 1, Jobs: 1, Seed: 1);
        Run(folder.Path, settings);
        Assert.Contains("--resume", Assert.Throws<InvalidOperationException>(() => Run(folder.Path, settings)).Message, StringComparison.Ordinal);
        Assert.Contains("another search", Assert.Throws<InvalidOperationException>(() => Run(folder.Path, settings with { Seed = 2 }, resume: true)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomSearchEvaluatesTheSeedArchitecturesAsEvolutionDoesAtTheEndOfTheInitialPopulation()
    {
        using var folder = new TempDirectory();
        var settings = new SearchSettings(SearchStrategy.Random, Population: 2, Candidates: 2, Jobs: 1, Seed: 0, SeedArchitectures: ["mixer"]);
        var records = new ArchitectureSearch(new CandidateEvaluator(SearchTask.Digits(), new TrainingRecipe(Epochs: 1, Batch: 64), 0), new ArchitectureSampler(Small), settings, folder.Path).Run();
        Assert.Equal([null, "mixer"], records.Select(r => r.SeedArchitecture));
    }

    [Fact]
    public void TwoSearchesCannotWriteOneFolder()
    {
        using var folder = new TempDirectory();
        var settings = new SearchSettings(SearchStrategy.Random, Candidates: 2, Jobs: 1, Seed: 1);
        // A second search started while the first is writing the folder (between its candidates) is refused.
        var second = new SecondSearch(() => Run(folder.Path, settings with { Seed = 2 }));
        new ArchitectureSearch(new CandidateEvaluator(Spirals, new TrainingRecipe(Epochs: 1, Batch: 32), settings.Seed), new ArchitectureSampler(Small), settings, folder.Path)
            .Run(second);
        Assert.Contains("in use by another search", second.Refusal?.Message, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder.Path, "candidates.jsonl")).Length);
        // Finished, the first releases the folder: it can be resumed.
        Assert.Equal(3, Run(folder.Path, settings with { Candidates = 3 }, resume: true).Count);
    }

    private sealed class SecondSearch(Action start) : ISearchProgress
    {
        public InvalidOperationException? Refusal { get; private set; }

        public void CandidateFinished(SearchRecord record, SearchRecord best, TimeSpan elapsed, TimeSpan? remaining)
        {
            if (Refusal is null)
            {
                Refusal = Assert.Throws<InvalidOperationException>(start);
            }
        }
    }

    // Everything but the times, which differ from run to run.
    private static string[] Comparable(IEnumerable<SearchRecord> records) =>
        [.. records.Select(r => $"{r.Index} {r.Hash} {r.Parent} {r.Parameters} {r.ValidationAccuracy:R} {r.TestAccuracy:R} {r.Repeat}")];
}
