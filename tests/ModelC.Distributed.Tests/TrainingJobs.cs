using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;

namespace ModelC.Distributed.Tests;

/// <summary>
/// <c>modelc train</c> runs of the two example models, launched as processes: small data sets
/// (16 samples, one step of batch 16 per epoch, so that metrics.json holds every step's loss),
/// and each model's single-process run, made once and compared against by the tests.
/// </summary>
public sealed class TrainingJobs : IDisposable
{
    /// <summary>Steps (and epochs) of a whole run.</summary>
    public const int Steps = 20;

    private readonly TempDirectory _folder = new();
    private readonly Dictionary<string, double[]> _single = [];

    public TrainingJobs()
    {
        var random = new Random(5);
        float[] Normal(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        SafetensorsFile.Write(MlpData, new Dictionary<string, DataArray>
        {
            ["x"] = DataArray.Of(Normal(16 * 784), [16, 784]),
            ["y"] = DataArray.Of(Enumerable.Range(0, 16).Select(i => i % 10).ToArray(), [16]),
        });
        SafetensorsFile.Write(MacaronData, new Dictionary<string, DataArray>
        {
            ["x"] = DataArray.Of(Normal(16 * 8 * 256), [16, 8, 256]),
            ["target"] = DataArray.Of(Normal(16 * 8 * 256), [16, 8, 256]),
        });
    }

    /// <summary>The MLP's data: x f32[16, 784], y i32[16].</summary>
    public string MlpData => _folder.File("mlp.safetensors");

    /// <summary>Macaron's data at 8 tokens: x and target f32[16, 8, 256].</summary>
    public string MacaronData => _folder.File("macaron.safetensors");

    /// <summary>The arguments of a run of <paramref name="model"/> (<c>mlp</c> or <c>macaron</c>) into <paramref name="output"/>.</summary>
    public string[] Arguments(string model, string output, int epochs = Steps, params string[] more) =>
    [
        Mpirun.Program("modelc.dll"), "train", RepositoryPaths.Get("examples", model, model + ".mdl"), "--stdlib", RepositoryPaths.Get("stdlib"),
        .. model == "macaron" ? new[] { "-D", "S=8", "--data", MacaronData } : ["--data", MlpData],
        "--validation", "0", "--batch", "16", "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--threads", "1", "-o", output, .. more,
    ];

    /// <summary>A fresh output folder.</summary>
    public string Output(string name) => _folder.File(name + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The losses of <paramref name="model"/>'s single-process run of <see cref="Steps"/> steps.</summary>
    public double[] SingleProcessLosses(string model)
    {
        lock (_single)
        {
            if (!_single.TryGetValue(model, out var losses))
            {
                var output = Output(model + "-single");
                var result = RunWithoutMpi(Arguments(model, output));
                Assert.True(result.ExitCode == 0, result.ToString());
                _single[model] = losses = Losses(output);
            }
            return losses;
        }
    }

    /// <summary>Runs <c>dotnet <paramref name="arguments"/>…</c> as a plain process, outside mpirun.</summary>
    internal static MpirunResult RunWithoutMpi(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        return Mpirun.Finish(process, clock, TimeSpan.FromMinutes(5));
    }

    /// <summary>The train loss of every epoch in <paramref name="output"/>'s metrics.json.</summary>
    public static double[] Losses(string output)
    {
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        return [.. metrics.RootElement.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("train_loss").GetDouble())];
    }

    public void Dispose() => _folder.Dispose();
}
