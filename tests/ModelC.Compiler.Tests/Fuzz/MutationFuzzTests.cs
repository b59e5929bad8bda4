using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of every example and stdlib file through the whole front end (compile,
/// elaborate every model in inference and training mode, format diagnostics, render the
/// reports). The compiler must answer every input with diagnostics or a model, never with an
/// exception or a hang.
/// </summary>
/// <remarks>
/// The case count is fixed, so a run is reproducible: case <c>i</c> of a seed depends only on
/// the seed's path and <c>i</c>. <c>MODELC_FUZZ_CASES</c> sets the total number of cases
/// (spread evenly over the seeds) and <c>MODELC_FUZZ_FIRST</c> the first case index, e.g.
/// <c>MODELC_FUZZ_CASES=50000 dotnet test --filter FullyQualifiedName~MutationFuzzTests</c>.
/// </remarks>
public sealed class MutationFuzzTests(ITestOutputHelper output)
{
    /// <summary>Total cases of a CI run, spread over the seeds (about 80 s on two cores).</summary>
    public const int DefaultCases = 2600;

    // A hang detector, not a timing claim: generous enough for a machine loaded many times over.
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(120);

    // A hung case keeps running on its thread (threads cannot be aborted) and would slow down
    // and distort every case after it, so the first hang ends fuzzing for the whole run.
    private static string? s_hung;

    public static TheoryData<string> Seeds() => [.. FuzzCorpus.Seeds.Select(s => s.Name)];

    [Fact]
    public void TheCorpusHasEveryExampleAndStdlibFile()
    {
        Assert.Contains(FuzzCorpus.Seeds, s => s.Name == "examples/mlp/mlp.mdl");
        Assert.Equal(Directory.GetFiles(RepositoryPaths.Get("stdlib"), "*.mdl").Length, FuzzCorpus.Seeds.Count(s => s.StandardModule is not null));
        Assert.All(FuzzCorpus.Seeds.Where(s => s.StandardModule is not null), s => Assert.NotEmpty(s.Hosts));
        Assert.Contains("branch", FuzzCorpus.Vocabulary);
        Assert.Contains(">>", FuzzCorpus.Vocabulary);
        Assert.Contains("linear", FuzzCorpus.Vocabulary);
        Assert.Contains("2147483648", FuzzCorpus.Vocabulary);
    }

    [Fact]
    public void CasesAreDeterministic()
    {
        var seed = FuzzCorpus.Get("examples/mlp/mlp.mdl");
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(FuzzCase.Generate(seed, i).Source, FuzzCase.Generate(seed, i).Source);
        }
        Assert.NotEqual(FuzzCase.Generate(seed, 0).Source, FuzzCase.Generate(seed, 1).Source);
    }

    [Fact]
    public void EverySeedCompilesAndElaboratesUnmutated()
    {
        // The fuzzer is only as deep as its seeds: a broken seed would test nothing but error paths.
        foreach (var seed in FuzzCorpus.Seeds)
        {
            var (outcome, failure) = FrontEndRunner.RunGuarded(RepositoryPaths.Get(seed.Name), seed.Text, CompilerDriver.Options, CaseTimeout);
            Assert.Null(failure);
            Assert.Equal(seed.StandardModule is null ? FrontEndRunner.Reached.Elaborated : FrontEndRunner.Reached.NoModels, outcome);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MutationsNeverCrashTheFrontEnd(string seedName)
    {
        Assert.True(s_hung is null, $"not run: an earlier case hung ({s_hung})");
        var seed = FuzzCorpus.Get(seedName);
        var (first, count) = Range();
        var scratch = Path.Combine(Path.GetTempPath(), "modelc-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        foreach (var file in Directory.GetFiles(RepositoryPaths.Get("stdlib"), "*.mdl"))
        {
            File.Copy(file, Path.Combine(scratch, Path.GetFileName(file)));
        }
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new Dictionary<string, (FuzzCase Case, string Failure, int Count)>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        try
        {
            for (var index = first; index < first + count; index++)
            {
                var fuzzCase = FuzzCase.Generate(seed, index);
                var (outcome, failure) = fuzzCase.Run(scratch, CaseTimeout);
                var key = outcome?.ToString() ?? "Failed";
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
                if (failure is null)
                {
                    continue;
                }
                // One report per distinct failure (exception type and throwing frame), the first case kept.
                var signature = Signature(failure);
                failures[signature] = failures.TryGetValue(signature, out var known)
                    ? known with { Count = known.Count + 1 }
                    : (fuzzCase, failure, 1);
                if (failure.StartsWith("no result", StringComparison.Ordinal))
                {
                    s_hung = $"{seedName} case {index}";
                    break;
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
        output.WriteLine($"{seedName}: cases {first}..{first + count - 1} in {clock.Elapsed.TotalSeconds:0.0} s; "
            + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}")));
        if (failures.Count > 0)
        {
            var report = string.Join("\n\n", failures.Values.Select(f =>
                $"{f.Count} case(s) fail like this one:\n{f.Case.Describe()}{f.Failure}"));
            Assert.Fail($"{failures.Values.Sum(f => f.Count)} of {count} mutations of {seedName} crashed the compiler.\n\n{report}");
        }
    }

    /// <summary>The first case index and the number of cases per seed.</summary>
    private static (int First, int Count) Range()
    {
        var total = ReadSetting("MODELC_FUZZ_CASES") ?? DefaultCases;
        var first = ReadSetting("MODELC_FUZZ_FIRST") ?? 0;
        return (first, Math.Max(1, (total + FuzzCorpus.Seeds.Count - 1) / FuzzCorpus.Seeds.Count));
    }

    private static int? ReadSetting(string name) =>
        System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;

    /// <summary>The exception type and the first stack frame: one line per distinct bug.</summary>
    internal static string Signature(string failure)
    {
        var lines = failure.Split('\n');
        var type = lines[0].Split(':')[0].Trim();
        var frame = lines.Skip(1).FirstOrDefault(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal))?.Trim() ?? "";
        var paren = frame.IndexOf('(', StringComparison.Ordinal);
        return type + " " + (paren > 0 ? frame[..paren] : frame);
    }
}
