using System.CommandLine;
using System.Globalization;
using ModelC.Cli.Progress;
using ModelC.Data.Formats;
using ModelC.Llvm;
using ModelC.Search.Evaluation;
using ModelC.Search.Programs;
using ModelC.Search.Reports;
using ModelC.Search.Sampling;
using ModelC.Search.Space;
using ModelC.Search.Strategies;

namespace ModelC.Cli.Commands;

/// <summary>
/// <c>modelc search</c>: architecture search over einspace (ModelC.Search): each candidate is
/// printed as .mdl, compiled and trained natively, candidates in parallel; prints a line per
/// candidate and the leaderboard, and writes the records, the leaderboard, the best
/// architecture and the progress plot to the output folder.
/// </summary>
internal static class SearchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var space = new Option<string>("--space") { Description = "The search space.", DefaultValueFactory = _ => "einspace" };
        space.AcceptOnlyFromAmong("einspace");
        var task = new Option<string>("--task") { Description = "'digits' (the 8x8 handwritten digits, built in), a data file (.npz, .npy, .safetensors, .csv) or a synthetic set (spirals, circles) with a float input and integer classes.", Required = true };
        var test = new Option<string?>("--test") { Description = "A test data file for a data-file task." };
        var input = new Option<string>("--input") { Description = "The input array of a data-file task.", DefaultValueFactory = _ => "x" };
        var label = new Option<string>("--label") { Description = "The class array of a data-file task.", DefaultValueFactory = _ => "y" };
        var samples = new Option<int>("--samples") { Description = "Samples of a synthetic set, validation included.", DefaultValueFactory = _ => 1000 };
        var budget = new Option<string>("--budget") { Description = "When to stop: a time (90s, 20m, 2h; no candidate starts after it) or a number of candidates.", DefaultValueFactory = _ => "1000" };
        var strategy = new Option<string>("--strategy") { Description = "evolution (regularized evolution) or random (random search).", DefaultValueFactory = _ => "evolution" };
        strategy.AcceptOnlyFromAmong("evolution", "random");
        var population = new Option<int>("--population") { Description = "Individuals alive at once; the first this many candidates are samples.", DefaultValueFactory = _ => 100 };
        var sampleSize = new Option<int>("--sample-size") { Description = "Individuals in a tournament.", DefaultValueFactory = _ => 10 };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Training epochs per candidate.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch", "-b") { Description = "Samples per step.", DefaultValueFactory = _ => 32 };
        var rate = new Option<double>("--lr") { Description = "Adam's learning rate (cosine schedule) for every candidate.", DefaultValueFactory = _ => 3e-3 };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Candidates trained at once, one thread each (default: the processor count). Part of what decides the search.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the search and every candidate's parameters and sample order.", DefaultValueFactory = _ => 0 };
        var depth = new Option<int>("--max-depth") { Description = "The grammar's depth limit: deeper modules are computations.", DefaultValueFactory = _ => EinspaceGrammar.Default.MaxDepth };
        var macs = new Option<long>("--max-macs") { Description = "Candidates with more multiply-accumulates per sample (the head aside) are drawn again: caps the training time of a candidate.", DefaultValueFactory = _ => EinspaceGrammar.Default.MaxMacs };
        var layers = new Option<long>("--max-layers") { Description = "Candidates that apply more terminals are drawn again: caps the kernels, and so the compile time, of a candidate.", DefaultValueFactory = _ => EinspaceGrammar.Default.MaxLayers };
        var outputDirectory = new Option<DirectoryInfo>("--output", "-o") { Description = "Where the records, leaderboard, best architecture and plot go.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("runs", "search")) };
        var seeds = new Option<string[]>("--seed-architecture") { Description = $"A known architecture ({string.Join(", ", SeedArchitectures.Names)}) that ends the initial population, after the samples, for either strategy; repeatable." };
        seeds.AcceptOnlyFromAmong([.. SeedArchitectures.Names]);
        var resume = new Option<bool>("--resume") { Description = "Continue the search recorded in the output folder." };

        var command = new Command("search", "Search einspace for an architecture: sample, mutate (regularized evolution) or sample only (random search), compiling and training every candidate natively.")
        {
            space, task, test, input, label, samples, budget, strategy, population, sampleSize, epochs, batch, rate, jobs, seed, depth, macs, layers, seeds, outputDirectory, resume,
        };
        command.SetAction(parse =>
        {
            if (!SearchBudget.TryParse(parse.GetValue(budget)!, out var time, out var count, out var problem))
            {
                error.WriteLine($"modelc: error: {problem}");
                return ExitCodes.Usage;
            }
            var settings = new SearchSettings(parse.GetValue(strategy) == "random" ? SearchStrategy.Random : SearchStrategy.Evolution,
                parse.GetValue(population), parse.GetValue(sampleSize), count, time, parse.GetValue(jobs), parse.GetValue(seed), parse.GetValue(seeds) ?? []);
            var recipe = new TrainingRecipe(LearningRate: parse.GetValue(rate), Epochs: parse.GetValue(epochs), Batch: parse.GetValue(batch));
            if ((settings.Problem() ?? RecipeProblem(recipe, parse.GetValue(depth), parse.GetValue(macs), parse.GetValue(layers))) is { } invalid)
            {
                error.WriteLine($"modelc: error: {invalid}");
                return ExitCodes.Usage;
            }
            try
            {
                var name = parse.GetValue(task)!;
                var searchTask = name == "digits"
                    ? SearchTask.Digits()
                    : SearchTask.Load(name, parse.GetValue(test), parse.GetValue(samples), 200, parse.GetValue(seed), parse.GetValue(input)!, parse.GetValue(label)!);
                var grammar = EinspaceGrammar.Default with { MaxDepth = parse.GetValue(depth), MaxMacs = parse.GetValue(macs), MaxLayers = parse.GetValue(layers) };
                var folder = parse.GetValue(outputDirectory)!.FullName;
                var search = new ArchitectureSearch(new CandidateEvaluator(searchTask, recipe, parse.GetValue(seed)), new ArchitectureSampler(grammar), settings, folder);
                output.WriteLine($"searching einspace on {searchTask.Data.Description} by {settings.Strategy.ToString().ToLowerInvariant()}: population {settings.Population}, "
                    + $"tournaments of {settings.SampleSize}, {settings.Jobs} at once, {recipe.Epochs} epochs each; budget {parse.GetValue(budget)}");
                using var stop = new StopSignals();
                IReadOnlyList<SearchRecord> records;
                try
                {
                    records = search.Run(new ProgressLines(output), parse.GetValue(resume), stop.Token);
                }
                catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
                {
                    error.WriteLine($"modelc: {stop.Name}: search stopped; every finished candidate is in {Path.Combine(folder, "candidates.jsonl")}; --resume continues it");
                    return stop.ExitCode;
                }
                var board = Leaderboard.Of(records);
                output.WriteLine();
                output.Write(Leaderboard.Table(board, 10));
                output.WriteLine($"best: {board[0].Hash}, validation {board[0].ValidationAccuracy:P1}, test {board[0].TestAccuracy:P1}, {board[0].Parameters:N0} parameters; written to {Path.Combine(folder, "best.mdl")}");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or DataFormatException or IOException or UnauthorizedAccessException or LlvmException or ArgumentException)
            {
                error.WriteLine($"modelc: error: {e.Message}");
                return ExitCodes.Diagnostics;
            }
        });
        return command;
    }

    private static string? RecipeProblem(TrainingRecipe recipe, int depth, long macs, long layers) =>
        recipe.Epochs < 1 ? $"--epochs must be at least 1, got {recipe.Epochs}"
        : recipe.Batch < 1 ? $"--batch must be at least 1, got {recipe.Batch}"
        : recipe.LearningRate is <= 0 or double.NaN or double.PositiveInfinity ? $"--lr must be positive, got {recipe.LearningRate}"
        : depth is < 1 or > 100 ? $"--max-depth must be between 1 and 100, got {depth}"
        : macs < 1 ? $"--max-macs must be at least 1, got {macs}"
        : layers < 1 ? $"--max-layers must be at least 1, got {layers}"
        : null;

    // A line per candidate: what it scored, the best so far, the time left.
    private sealed class ProgressLines(TextWriter output) : ISearchProgress
    {
        public void CandidateFinished(SearchRecord record, SearchRecord best, TimeSpan elapsed, TimeSpan? remaining)
        {
            var what = record.Failure is not null ? "diverged" : record.Repeat ? $"{record.ValidationAccuracy:P1} (repeat)" : $"{record.ValidationAccuracy:P1}";
            var eta = remaining is { } left ? $", ETA {Clock(left)}" : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{record.Index + 1,4}] {record.Hash} {(record.Parent is { } p ? $"mutant of {p + 1}" : record.SeedArchitecture is { } seed ? $"seed {seed}" : "sample"),-16} {record.Parameters,10:N0} params  validation {what,-16} best {best.ValidationAccuracy:P1} ({best.Hash}, test {best.TestAccuracy:P1})  {Clock(elapsed)}{eta}"));
        }

        private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";
    }
}
