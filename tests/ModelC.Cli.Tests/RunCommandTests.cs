using System.Text.RegularExpressions;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Cli.Tests;

/// <summary>
/// <c>modelc run</c>'s train mode (the compiled train step, driven by the runtime's trainer), its
/// timing line and <c>--profile</c>: the shape of what they print, never the times.
/// </summary>
public sealed partial class RunCommandTests : IClassFixture<ScratchFolder>
{
    private readonly ScratchFolder _scratch;
    private readonly string _model;

    public RunCommandTests(ScratchFolder scratch)
    {
        _scratch = scratch;
        _model = scratch.Write("tiny.mdl", TinyClassifier.Source);
    }

    private CliResult Run(params string[] extra) => Modelc.Run(["run", _model, "--stdlib", Modelc.Stdlib, "--threads", "1", .. extra]);

    [Fact]
    public void TrainModeRunsTheTrainStepSoTheLossFallsOnARepeatedBatch()
    {
        var once = Path.Combine(_scratch.Path, "once.safetensors");
        var many = Path.Combine(_scratch.Path, "many.safetensors");
        var first = Run("--mode", "train", "-b", "16", "-r", "0", "--save-tensors", once);
        var later = Run("--mode", "train", "-b", "16", "-r", "30", "--save-tensors", many);
        var forward = Run("--mode", "eval", "-b", "16", "-r", "0");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(later.ExitCode == 0, later.ToString());
        var kernels = int.Parse(KernelCount().Match(later.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"Tiny: compiled the train step: {kernels} kernels (", later.Output, StringComparison.Ordinal);
        // Forward and loss alone are fewer kernels: the backward pass and the update are in the step.
        Assert.True(int.Parse(KernelCount().Match(forward.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < kernels / 2, forward.Output);
        Assert.Matches(TimingLine("train step", 30), later.Output);
        // Parameter updates (w:next) are not printed; the loss and the logits are.
        Assert.DoesNotContain(":next", later.Output, StringComparison.Ordinal);

        var before = SafetensorsFile.Read(once).Tensors["loss"].Floats[0];
        var after = SafetensorsFile.Read(many).Tensors["loss"].Floats[0];
        Assert.True(after < 0.9f * before, $"loss {before} after one step, {after} after 31");
    }

    [Fact]
    public void LabelsAreDrawnBelowTheClassCount()
    {
        var path = Path.Combine(_scratch.Path, "labels.safetensors");
        var result = Run("--mode", "train", "-b", "64", "-r", "0", "--save-tensors", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        var labels = SafetensorsFile.Read(path).Tensors["y"].Ints;
        Assert.All(labels, l => Assert.InRange(l, 0, 2));
        Assert.Equal(3, labels.Distinct().Count());
    }

    [Fact]
    public void EmbeddingIdsAreDrawnBelowTheTableSize()
    {
        // The output's last axis (8) is not the vocabulary (3): the ids follow the table's range.
        var model = _scratch.Write("ids.mdl", "import std.nn;\nmodel Ids(B: batch) { input tokens: i32[B, 5]; output y = embedding(3, 8)(tokens); }\n");
        var path = Path.Combine(_scratch.Path, "ids.safetensors");
        var result = Modelc.Run("run", model, "--stdlib", Modelc.Stdlib, "--threads", "1", "-b", "16", "-r", "0", "--save-tensors", path);
        Assert.True(result.ExitCode == 0, result.ToString());
        var ids = SafetensorsFile.Read(path).Tensors["tokens"].Ints;
        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, i => Assert.InRange(i, 0, 2));
    }

    [Fact]
    public void TheTimingLineHasMeanMinAndMedian()
    {
        var result = Run("-b", "2", "-r", "4");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(TimingLine("forward", 4), result.Output);
    }

    [Fact]
    public void ProfileListsKernelsWithTheirOriginsThenOpsAndLayers()
    {
        var result = Run("--mode", "train", "-b", "8", "-r", "2", "--profile");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.OutputLines;
        var kernels = int.Parse(KernelCount().Match(result.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var header = Array.FindIndex(lines, l => l.StartsWith("profile of Tiny: 2 runs, ", StringComparison.Ordinal));
        Assert.True(header > 0, result.Output);
        var summary = Regex.Match(lines[header], $@"^profile of Tiny: 2 runs, [0-9.]+ ms per run; ([0-9.]+)% in its {kernels} kernels, [0-9.]+% outside them \(dispatch, parameter copies\)$");
        Assert.True(summary.Success, lines[header]);
        // The kernels were timed, not only the runs.
        Assert.True(double.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, lines[header]);
        Assert.Equal("  total ms    ms/run   share  kind  kernel                               origin", lines[header + 1]);

        // The 20 slowest kernels, each with its kind, symbol and origin (a multi-output kernel's
        // results separated by ", "); then the rest in one line.
        var rows = lines.Skip(header + 2).Take(KernelProfileRows).ToArray();
        Assert.All(rows, r => Assert.Matches(@"^  +[0-9.]+ +[0-9.]+ +[0-9.]+%  (gemm|map )  mc_[0-9a-f]{32}  (%[0-9]+ [a-z_]+( in [a-z_0-9.]+)?(, %[0-9]+ [a-z_]+( in [a-z_0-9.]+)?)*|copy of %[0-9]+ to '.+')$", r));
        Assert.Matches($@"^  +[0-9.]+ +[0-9.]+ +[0-9.]+%        {kernels - KernelProfileRows} more kernels$", lines[header + 2 + KernelProfileRows]);
        Assert.Contains(rows, r => r.EndsWith(" in linear_1", StringComparison.Ordinal));

        var byOp = Section(lines, "by op:");
        Assert.Equal("  total ms    ms/run   share  kernels  op", byOp[0]);
        Assert.Contains(byOp, r => r.EndsWith("  contract", StringComparison.Ordinal));
        Assert.Contains(byOp, r => r.EndsWith("  contract+tanh", StringComparison.Ordinal));
        Assert.Equal(kernels, byOp.Skip(1).Sum(KernelsOf));

        var byLayer = Section(lines, "by layer:");
        Assert.Equal("  total ms    ms/run   share  kernels  layer", byLayer[0]);
        Assert.Equal(["(outside layers)", "cross_entropy_0", "linear_0", "linear_1", "tanh_0"], byLayer.Skip(1).Select(r => r.Split("  ")[^1]).Order(StringComparer.Ordinal));
        Assert.Equal(kernels, byLayer.Skip(1).Sum(KernelsOf));
    }

    [Fact]
    public void ProfileOfABuiltModelNamesKernelKindsFromItsManifest()
    {
        var directory = Path.Combine(_scratch.Path, "built");
        var build = Modelc.Run("build", _model, "--stdlib", Modelc.Stdlib, "-o", directory, "--emit", "native");
        Assert.True(build.ExitCode == 0, build.ToString());
        var result = Modelc.Run("run", directory, "-b", "2", "-r", "1", "--profile");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\n  total ms    ms/run   share  kind  kernel                               origin\n", result.Output, StringComparison.Ordinal);
        // The first linear layer's GEMM carries its bias and the tanh as its epilogue.
        Assert.Matches(@"\n +[0-9.]+ +[0-9.]+ +[0-9.]+%  gemm  mc_[0-9a-f]{32}  %[0-9]+ tanh in tanh_0\n", result.Output);
        Assert.Matches(@"\n +[0-9.]+ +[0-9.]+ +[0-9.]+% +1  contract\+tanh\n", result.Output);
    }

    [Fact]
    public void ProfileNeedsATimedRun()
    {
        var result = Run("-r", "0", "--profile");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("modelc: error: --profile times the runs after the warm-up: give --repeat at least 1\n", result.Error);
    }

    [Fact]
    public void ProfileCpuTimesTheKernelsByTheRunningThreadsCpuClock()
    {
        var result = Run("--mode", "train", "-b", "8", "-r", "2", "--profile", "--profile-cpu");
        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = Regex.Match(result.Output, @"\nprofile of Tiny: 2 runs, [0-9.]+ ms per run \(thread CPU time\); ([0-9.]+)% in its [0-9]+ kernels, ");
        Assert.True(summary.Success, result.Output);
        Assert.True(double.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, result.Output);
    }

    [Theory]
    [InlineData("1", "--profile-cpu", "--profile-cpu chooses the clock of --profile: give --profile too")]
    [InlineData("2", "--profile --profile-cpu", "--profile-cpu measures the thread that runs the model: give --threads 1")]
    public void ProfileCpuNeedsTheProfileAndOneThread(string threads, string options, string message)
    {
        var result = Modelc.Run(["run", _model, "--stdlib", Modelc.Stdlib, "--threads", threads, .. options.Split(' ')]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"modelc: error: {message}\n", result.Error);
    }

    [Fact]
    public void ProfileAllListsEveryKernel()
    {
        var result = Run("--mode", "train", "-b", "8", "-r", "1", "--profile", "--profile-all");
        Assert.True(result.ExitCode == 0, result.ToString());
        var kernels = int.Parse(KernelCount().Match(result.Output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(kernels > KernelProfileRows, result.Output);
        var rows = Section(result.OutputLines, result.OutputLines.Single(l => l.StartsWith("profile of Tiny: ", StringComparison.Ordinal)));
        Assert.Equal(kernels, rows.Count(r => Regex.IsMatch(r, "  (gemm|map )  mc_")));
        Assert.Equal(kernels + 1, rows.Length);
        Assert.DoesNotContain(" more ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileAllNeedsTheProfile()
    {
        var result = Run("--profile-all");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("modelc: error: --profile-all lengthens the tables of --profile: give --profile too\n", result.Error);
    }

    private const int KernelProfileRows = 20;

    private static string[] Section(string[] lines, string title) =>
        [.. lines.SkipWhile(l => l != title).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal))];

    private static int KernelsOf(string row) => int.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], System.Globalization.CultureInfo.InvariantCulture);

    private static Regex TimingLine(string what, int runs) =>
        new($@"\n  {what}: [0-9]+\.[0-9]{{3}} ms mean, [0-9]+\.[0-9]{{3}} ms min, [0-9]+\.[0-9]{{3}} ms median over {runs} runs on 1 thread\(s\)\n");

    [GeneratedRegex(@"compiled (?:the train step: )?([0-9]+) kernels")]
    private static partial Regex KernelCount();
}
