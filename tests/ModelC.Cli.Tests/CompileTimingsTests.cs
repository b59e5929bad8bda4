using System.Text.RegularExpressions;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>--timings</c> on <c>modelc build</c> and <c>run</c>: the report lists every compile phase in
/// pipeline order, each graph pass of the program, and the kernels that cost LLVM the most with
/// their origin and size — the shape of the report, never the times. Each run has a fresh cache,
/// so that its kernels compile rather than come from an earlier run.
/// </summary>
public sealed class CompileTimingsTests : IClassFixture<ScratchFolder>
{
    private const string Seconds = @" +[0-9]+\.[0-9]{3} s";
    private readonly ScratchFolder _scratch;
    private readonly string _model;

    public CompileTimingsTests(ScratchFolder scratch)
    {
        _scratch = scratch;
        _model = scratch.Write("tiny.mdl", TinyClassifier.Source);
    }

    [Fact]
    public void BuildListsEveryPhaseThePassesAndTheSlowestKernels()
    {
        var result = Timed("build", _model, "-o", Path.Combine(_scratch.Path, "built"), "--emit", "native", "--mode", "train");

        var lines = ReportOf(result);
        AssertPhases(lines, "link");
        // The train step's passes, autodiff among them, each with the node count it left.
        var passes = lines.SkipWhile(l => !l.StartsWith("  graph passes, train step ", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(passes, p => Regex.IsMatch(p, $@"^    autodiff{Seconds}  [0-9]+ nodes after$"));
        Assert.Contains(passes, p => p.StartsWith("    fold-conv ", StringComparison.Ordinal));
        var slowest = lines.SkipWhile(l => !l.StartsWith("slowest kernels by LLVM time (of ", StringComparison.Ordinal)).Skip(1).ToArray();
        Assert.Equal(5, slowest.Length);
        Assert.All(slowest, k => Assert.Matches(
            @"^  [0-9]+\.[0-9]{3} s  \(IR [0-9.]+ s, opt [0-9.]+ s, codegen [0-9.]+ s; [0-9]+ -> [0-9]+ instructions\)  mc_[0-9a-f]{32}  (%[0-9]+ .+|copy of .+|support routine .+)$", k));
    }

    [Fact]
    public void RunLoadsInsteadOfLinking()
    {
        var result = Timed("run", _model, "-b", "2", "-r", "1");

        var lines = ReportOf(result);
        AssertPhases(lines, "load");
        Assert.Contains(lines, l => l.StartsWith("  graph passes, forward pass ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("    autodiff ", StringComparison.Ordinal));
    }

    [Fact]
    public void RunPrintsOneReportAfterEveryModelRan()
    {
        var twoModels = _scratch.Write("two.mdl", TinyClassifier.Source + TinyClassifier.Source.Replace("model Tiny(", "model Other(", StringComparison.Ordinal).Replace("import std.nn;", "", StringComparison.Ordinal));

        var lines = Timed("run", twoModels, "-b", "2", "-r", "1").OutputLines.ToList();

        Assert.Single(lines, l => l.StartsWith("compile timings (wall", StringComparison.Ordinal));
        var report = lines.FindIndex(l => l.StartsWith("compile timings (wall", StringComparison.Ordinal));
        Assert.True(report > lines.FindLastIndex(l => l.StartsWith("Other: ", StringComparison.Ordinal)), string.Join('\n', lines));
        Assert.True(lines.FindIndex(l => l.StartsWith("Other: ", StringComparison.Ordinal)) > lines.FindIndex(l => l.StartsWith("Tiny: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void RunOfABuiltFolderRefusesInOneLine()
    {
        var built = Path.Combine(_scratch.Path, "built-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(built);

        var result = Modelc.Run("run", built, "--timings");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"modelc: error: --timings times a compile, and nothing is compiled: '{built}' holds built models\n", result.Error.ReplaceLineEndings("\n"));
    }

    private CliResult Timed(params string[] args)
    {
        var cache = Path.Combine(_scratch.Path, "cache-" + Guid.NewGuid().ToString("N"));
        var result = ModelcProcess.Run(new Dictionary<string, string?> { ["MODELC_CACHE"] = cache }, [.. args, "--stdlib", Modelc.Stdlib, "--timings"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    // The report's lines, from its header to the end of the output or the run's own lines.
    private static string[] ReportOf(CliResult result) =>
        [.. result.OutputLines.SkipWhile(l => !l.StartsWith("compile timings (wall", StringComparison.Ordinal)).TakeWhile(l => !l.StartsWith("Tiny: ", StringComparison.Ordinal))];

    // The phases in pipeline order, the code's last step (link or load) and the total last.
    private static void AssertPhases(string[] lines, string lastStep)
    {
        string[] phases =
        [
            "parse+bind", "elaboration (lowering to graph IR)", "fusion planning", "kernel IR", "kernel keys (content hash)", "manifest",
            "LLVM IR emission", "LLVM optimisation", "LLVM code generation", lastStep, "total so far",
        ];
        var top = lines.TakeWhile(l => !l.StartsWith("slowest kernels", StringComparison.Ordinal)).Where(l => Regex.IsMatch(l, "^  [^ ]")).Select(l => Regex.Match(l, $"^  (.+?){Seconds}").Groups[1].Value.TrimEnd()).ToArray();
        Assert.Equal(phases, top.Where(p => !p.StartsWith("graph passes, ", StringComparison.Ordinal)).ToArray());
        Assert.Contains(top, p => p.StartsWith("graph passes, ", StringComparison.Ordinal));
    }
}
