using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace ModelC.Onnx.Tests;

/// <summary>
/// bench/onnx_bench.sh's harness (modelc-onnx-bench) keeps working: it interleaves ModelC's and
/// ONNX Runtime's repetitions, alternating which runs first, prints the table and writes every
/// repetition to the JSON (what ran and in which order, never the times), and ONNX Runtime's
/// per-operator profile where asked.
/// </summary>
public sealed class OnnxBenchTests(ITestOutputHelper log)
{
    private const int Reps = 3;

    [Fact]
    public void RepetitionsAlternateAndTheJsonHoldsEveryOne()
    {
        using var scratch = new TempDirectory();
        var json = scratch.File("onnx.json");
        var profiles = scratch.File("profiles");
        var (code, output) = RunBench(RepositoryPaths.Get("stdlib"), "2", $"{Reps}", "--block-ms", "1", "--json", json, "--commit", "test", "--ort-profile", profiles,
            "--mdl", RepositoryPaths.Get("examples", "mlp", "mlp.mdl"), "Mlp");
        log.WriteLine(output);
        Assert.True(code == 0, $"exit {code}\n{output}");
        Assert.Matches(@"\nMlp +exported( +[0-9.]+){11}\n", output);

        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        Assert.Equal(Reps, root.GetProperty("settings").GetProperty("reps").GetInt32());
        Assert.Equal("test", root.GetProperty("environment").GetProperty("modelc_commit").GetString());
        Assert.Equal(3, root.GetProperty("load_average").GetProperty("end").GetArrayLength());
        var model = Assert.Single(root.GetProperty("models").EnumerateArray());
        Assert.Equal("Mlp", model.GetProperty("name").GetString());
        var modelc = model.GetProperty("modelc").GetProperty("reps").EnumerateArray().ToArray();
        var ort = model.GetProperty("ort").GetProperty("reps").EnumerateArray().ToArray();
        Assert.Equal(Reps, modelc.Length);
        Assert.Equal(Reps, ort.Length);
        for (var r = 0; r < Reps; r++)
        {
            // ModelC first in even repetitions, ONNX Runtime first in odd ones; both before the next.
            var (first, second) = r % 2 == 0 ? (modelc[r], ort[r]) : (ort[r], modelc[r]);
            Assert.True(first.GetProperty("first").GetBoolean());
            Assert.False(second.GetProperty("first").GetBoolean());
            Assert.True(Start(first) < Start(second));
            if (r + 1 < Reps)
            {
                Assert.True(Start(second) < Math.Min(Start(modelc[r + 1]), Start(ort[r + 1])));
            }
        }
        foreach (var side in new[] { "modelc", "ort" })
        {
            foreach (var measure in new[] { "cpu_ms", "wall_ms" })
            {
                var spread = model.GetProperty(side).GetProperty(measure);
                Assert.InRange(spread.GetProperty("min").GetDouble(), double.Epsilon, spread.GetProperty("median").GetDouble());
            }
        }
        var cpu = (string side, string key) => model.GetProperty(side).GetProperty("cpu_ms").GetProperty(key).GetDouble();
        Assert.Equal(cpu("modelc", "median") / cpu("ort", "median"), model.GetProperty("ratio_cpu_median").GetDouble(), 1e-9);
        Assert.Equal(cpu("modelc", "min") / cpu("ort", "min"), model.GetProperty("ratio_cpu_min").GetDouble(), 1e-9);

        // The profile is a Chrome trace in the folder asked for, with the exported layers' operators.
        var profile = model.GetProperty("ort_profile").GetString()!;
        Assert.Equal(profiles, Path.GetDirectoryName(profile));
        using var trace = JsonDocument.Parse(File.ReadAllText(profile));
        Assert.Contains(trace.RootElement.EnumerateArray(), e => e.TryGetProperty("args", out var a) && a.TryGetProperty("op_name", out var op) && op.GetString() == "Gemm");
    }

    private static double Start(JsonElement block) => block.GetProperty("start_ms").GetDouble();

    private static (int Code, string Output) RunBench(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "modelc-onnx-bench.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
