using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace ModelC.Cli.Tests;

/// <summary>
/// The benchmark keeps working: its models check and its sized variants are the examples at
/// their defaults; <c>bench/bench.py --smoke</c> runs end to end with this build's modelc and
/// bench host, every configuration measured, the tables printed, the JSON complete (what ran,
/// never the times). Where /usr/bin/python3 has no PyTorch (CI) the benchmark measures ModelC
/// alone and the PyTorch half goes unchecked.
/// </summary>
public sealed class BenchTests(ITestOutputHelper log)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public void SmokeRunMeasuresEveryConfigurationAndWritesTheJson()
    {
        if (!File.Exists(Python))
        {
            log.WriteLine($"{Python} is missing: the benchmark's smoke run was not tried");
            return;
        }
        using var scratch = new ScratchFolder();
        var json = Path.Combine(scratch.Path, "bench.json");
        var (code, output, error) = RunBench("--smoke", "--json", json);
        log.WriteLine(output);
        log.WriteLine(error);
        Assert.True(code == 0, $"exit {code}\n{output}\n{error}");

        using var results = JsonDocument.Parse(File.ReadAllText(json));
        var root = results.RootElement;
        var withTorch = root.GetProperty("environment").TryGetProperty("torch", out _);
        if (!withTorch)
        {
            log.WriteLine("PyTorch is not available: ModelC alone was measured");
        }
        string[] frameworks = withTorch ? ["modelc", "pytorch"] : ["modelc"];
        var cases = root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["gemm-64x64x64", "mlp-smoke"], cases.Keys.Order(StringComparer.Ordinal));

        var mlp = cases["mlp-smoke"];
        foreach (var mode in new[] { "forward", "train" })
        {
            Assert.True(mlp.GetProperty("compile").GetProperty(mode).GetProperty("kernels").GetInt32() > 0);
            var runs = mlp.GetProperty("timings").GetProperty(mode).GetProperty("runs");
            foreach (var key in frameworks.SelectMany(f => new[] { $"{f}-1", $"{f}-2" }))
            {
                var run = runs.GetProperty(key);
                Assert.Equal(2, run.GetProperty("reps").GetArrayLength());
                Assert.True(run.GetProperty("median_ms").GetDouble() > 0, key);
                Assert.Equal(key.EndsWith("-1", StringComparison.Ordinal), run.GetProperty("cpu_median_ms").ValueKind == JsonValueKind.Number);
            }
        }
        // 64-32-32-10 at batch 8: 2·8·(64·32 + 32·32 + 32·10) forward; the train step three times that,
        // less the first layer's data gradient (2·8·64·32).
        var flops = mlp.GetProperty("matmul_flops");
        Assert.Equal(54_272, flops.GetProperty("forward").GetInt64());
        Assert.Equal(130_048, flops.GetProperty("train").GetInt64());
        var peak = root.GetProperty("fma_peak_gflops");
        Assert.True(peak.ValueKind == JsonValueKind.Null || peak.GetDouble() > 1, $"FMA peak {peak}");
        var parameters = mlp.GetProperty("parameters");
        Assert.Equal(3466, parameters.GetProperty("modelc").GetInt32());
        Assert.All(frameworks, f => Assert.True(mlp.GetProperty("memory").GetProperty(f).GetProperty("peak_kib").GetInt64() > 0, f));
        if (withTorch)
        {
            Assert.Equal(3466, parameters.GetProperty("pytorch").GetInt32());
            Assert.True(mlp.GetProperty("timings").GetProperty("train").GetProperty("ratio").GetDouble() > 0);
        }
        Assert.True(cases["gemm-64x64x64"].GetProperty("timings").GetProperty("forward").GetProperty("runs").TryGetProperty("modelc-2", out _));
        Assert.Equal(3, root.GetProperty("load_average").GetProperty("end").GetArrayLength());

        foreach (var table in new[] { "Time per step, ms", "floor = ", "Compile (modelc build", "Peak memory (VmHWM)", "GEMM c[M,N]" })
        {
            Assert.Contains(table, output, StringComparison.Ordinal);
        }
        Assert.Matches(@"\nmlp-smoke +train +[0-9.]+ \([0-9.]+\) +[0-9.]+ \([0-9.]+\)", output);
    }

    [Theory]
    [InlineData("bench/models/mlp.mdl", "Mlp", "examples/mlp/mlp.mdl", "Mlp")]
    [InlineData("bench/models/macaron.mdl", "Macaron", "examples/macaron/macaron.mdl", "Macaron")]
    [InlineData("bench/models/mgno.mdl", "Mgno", "examples/mgno/poisson.mdl", "Poisson")]
    public void SizedVariantsAtTheirDefaultsAreTheReferenceExamples(string variant, string model, string example, string reference)
    {
        var sized = Modelc.Run("check", Modelc.File(variant), "--model", model);
        var original = Modelc.Run("check", Modelc.File(example), "--model", reference);
        Assert.True(sized.ExitCode == 0, sized.ToString());
        Assert.Equal(original.Output.Replace(reference + ":", model + ":", StringComparison.Ordinal), sized.Output);
    }

    [Fact]
    public void EveryBenchModelChecks()
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.Get("bench"), "*.mdl", SearchOption.AllDirectories))
        {
            var result = Modelc.Run("check", file);
            Assert.True(result.ExitCode == 0 && result.Error.Length == 0, file + "\n" + result);
        }
    }

    private static (int Code, string Output, string Error) RunBench(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-B", RepositoryPaths.Get("bench", "bench.py") }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("--modelc");
        start.ArgumentList.Add($"dotnet '{Path.Combine(AppContext.BaseDirectory, "modelc.dll")}'");
        start.ArgumentList.Add("--host");
        start.ArgumentList.Add($"dotnet '{Path.Combine(AppContext.BaseDirectory, "modelc-bench.dll")}'");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
