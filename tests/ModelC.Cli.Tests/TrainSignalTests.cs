using System.Diagnostics;
using System.Text.Json;

namespace ModelC.Cli.Tests;

/// <summary>
/// Ctrl+C (SIGINT) or SIGTERM during <c>modelc train</c>: the epoch in progress ends after its
/// step, the weights and reports are written, the newest checkpoint is whole, no temporary file
/// is left, and the exit status is the shell's for the signal. Process-level: a real signal.
/// </summary>
public sealed class TrainSignalTests : IClassFixture<ScratchFolder>
{
    private const string Program = """
        import std.nn;
        model Spiral(B: batch) {
            input  x: f32[B, 2];
            input  y: i32[B];
            output logits = (linear(32) >> tanh >> linear(3))(x);
            loss   cross_entropy(logits, y);
            optimizer adam(lr = 1e-2);
        }
        """;

    private readonly ScratchFolder _scratch;

    public TrainSignalTests(ScratchFolder scratch) => _scratch = scratch;

    [Theory]
    [InlineData("SIGINT", 130)]
    [InlineData("SIGTERM", 143)]
    public void ASignalStopsTrainingWithWholeFilesAndTheSignalsExitCode(string name, int exitCode)
    {
        var model = _scratch.Write($"spiral-{name}.mdl", Program);
        var output = Path.Combine(_scratch.Path, name);
        // Far more epochs than the test waits for: the signal always arrives mid-run. Started with
        // SIGINT at its default disposition even where the tests run as a background job.
        var process = ModelcProcess.StartWithDefaultSignals(new Dictionary<string, string?>(), "train", model, "--stdlib", Modelc.Stdlib, "--data", "spirals:classes=3",
            "--samples", "20000", "--epochs", "100000", "--batch", "8", "--threads", "1", "-o", output);
        // The first epoch's line comes after modelc installed its handlers (before its first step).
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("epoch 1/", StringComparison.Ordinal))
        {
        }
        Assert.NotNull(line);
        using (var kill = Process.Start("kill", ["-s", name["SIG".Length..], process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }
        // Bounded: a run that missed the signal would train for hours and hang the test run.
        var result = ModelcProcess.Wait(process, TimeSpan.FromMinutes(5));

        Assert.True(result.ExitCode == exitCode, result.ToString());
        var last = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Matches($"^modelc: {name}: stopped in epoch ([0-9]+); wrote the last step's weights to {Regex(Path.Combine(output, "Spiral.safetensors"))}; "
            + $"--resume continues from {Regex(Path.Combine(output, "checkpoints"))}/epoch-[0-9]{{4}}\\.safetensors \\(epoch [0-9]+\\)$", last);
        Assert.Empty(Directory.EnumerateFiles(output, "*tmp*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(output, "modelc-train.lock")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.True(metrics.RootElement.GetProperty("stopped_early").GetBoolean());

        // The newest checkpoint is whole: the run resumes from it.
        var resumed = Modelc.Run("train", model, "--stdlib", Modelc.Stdlib, "--data", "spirals:classes=3", "--samples", "20000", "--batch", "8",
            "--threads", "1", "-o", output, "--resume", "--epochs", (metrics.RootElement.GetProperty("epochs").GetArrayLength() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("resuming from ", resumed.Output, StringComparison.Ordinal);
    }

    private static string Regex(string path) => System.Text.RegularExpressions.Regex.Escape(path);
}
