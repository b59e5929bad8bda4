using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelC.OnnxBench;

/// <summary>The minimum and the median of a list of milliseconds.</summary>
internal sealed record Spread(double Median, double Min)
{
    /// <summary>The spread of <paramref name="values"/> (at least one).</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0]);
    }
}

/// <summary>One side of one model: its block size, the spread of its wall-clock and per-thread
/// CPU milliseconds per run, and every repetition.</summary>
internal sealed record SideReport(int RunsPerBlock, Spread WallMs, Spread CpuMs, IReadOnlyList<Block> Reps)
{
    /// <summary>The report of one side's timings.</summary>
    public static SideReport Of(SideTimings timings) =>
        new(timings.RunsPerBlock, Spread.Of(timings.Blocks.Select(b => b.WallMs)), Spread.Of(timings.Blocks.Select(b => b.CpuMs)), timings.Blocks);
}

/// <summary>One model: both sides, the ratios ModelC / ORT of their per-thread CPU medians and
/// minima, and the CPUs other processes used while it was measured.</summary>
internal sealed record ModelReport(string Name, string Source, SideReport Modelc, SideReport Ort, double RatioCpuMedian, double RatioCpuMin, double OtherCpus, string? OrtProfile);

/// <summary>The settings every model ran with.</summary>
internal sealed record BenchSettings(int Batch, int Reps, double BlockMs, int Threads);

/// <summary>What ran where: the CPU, the versions, the environment variables that change what
/// the measured code does.</summary>
internal sealed record BenchEnvironment(string Cpu, int Processors, string Os, string Dotnet, string Onnxruntime, string ModelcCommit, IReadOnlyDictionary<string, string> Variables);

/// <summary>The load averages at the start and at the end.</summary>
internal sealed record LoadAverages(double[] Start, double[] End);

/// <summary>The whole run, as written to the JSON file.</summary>
internal sealed record BenchReport(BenchSettings Settings, BenchEnvironment Environment, LoadAverages LoadAverage, IReadOnlyList<ModelReport> Models)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes the report to <paramref name="path"/>, making its folder.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }
}
