using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.OnnxBench;

// modelc-onnx-bench STDLIB BATCH REPS [--block-ms MS] [--json PATH] [--commit C] [--ort-profile DIR]
//                   [--mdl FILE MODEL]… [--onnx FILE]…
// --mdl: a ModelC model, exported to ONNX; --onnx: an ONNX file written elsewhere, imported to .mdl.
// Both sides run the same weights and inputs on one thread, interleaved repetition by repetition;
// prints one line per model and writes every repetition to the JSON file.
var invariant = CultureInfo.InvariantCulture;
var (stdlib, batch, reps) = (args[0], int.Parse(args[1], invariant), int.Parse(args[2], invariant));
var (blockMs, json, commit, ortProfile) = (100.0, (string?)null, "unknown", (string?)null);
var models = new List<Func<CompilationOptions, BenchPair>>();
for (var i = 3; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--block-ms":
            blockMs = double.Parse(args[++i], invariant);
            break;
        case "--json":
            json = args[++i];
            break;
        case "--commit":
            commit = args[++i];
            break;
        case "--ort-profile":
            ortProfile = Path.GetFullPath(args[++i]);
            Directory.CreateDirectory(ortProfile);
            break;
        case "--mdl":
            var (file, model) = (args[i + 1], args[i + 2]);
            models.Add(options => BenchPair.FromMdl(file, model, options, batch, ortProfile));
            i += 2;
            break;
        case "--onnx":
            var onnx = args[++i];
            models.Add(options => BenchPair.FromOnnx(onnx, options, batch, ortProfile));
            break;
        default:
            Console.Error.WriteLine($"modelc-onnx-bench: unknown argument '{args[i]}'");
            return 2;
    }
}

var compilation = new CompilationOptions { StandardLibrary = stdlib };
var loadStart = OtherLoad.LoadAverage();
var clock = Stopwatch.StartNew();
var reports = new List<ModelReport>();
Console.WriteLine("                                   ModelC CPU ms       ORT CPU ms         ratio CPU     ModelC wall ms      ORT wall ms      other");
Console.WriteLine("model                  source       median      min   median      min   median   min   median      min   median      min   CPUs");
foreach (var make in models)
{
    using var pair = make(compilation);
    var load = OtherLoad.Start();
    var (modelc, ort) = InterleavedTiming.Measure(pair.RunModelC, pair.RunOrt, reps, blockMs, clock);
    var (m, o) = (SideReport.Of(modelc), SideReport.Of(ort));
    var report = new ModelReport(pair.Name, pair.Source, m, o, m.CpuMs.Median / o.CpuMs.Median, m.CpuMs.Min / o.CpuMs.Min, load.CpusUsed(), pair.EndOrtProfiling());
    reports.Add(report);
    Console.WriteLine(string.Create(invariant,
        $"{report.Name,-22} {report.Source,-10} {Ms(m.CpuMs.Median)} {Ms(m.CpuMs.Min)} {Ms(o.CpuMs.Median)} {Ms(o.CpuMs.Min)}   {report.RatioCpuMedian,6:F2} {report.RatioCpuMin,5:F2} {Ms(m.WallMs.Median)} {Ms(m.WallMs.Min)} {Ms(o.WallMs.Median)} {Ms(o.WallMs.Min)}  {report.OtherCpus,5:F2}"));
}

var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
    .Where(k => k.StartsWith("OMP_", StringComparison.Ordinal) || k.StartsWith("MODELC_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.StartsWith("ORT_", StringComparison.Ordinal) || k == "GLIBC_TUNABLES")
    .Order(StringComparer.Ordinal).ToDictionary(k => k, k => Environment.GetEnvironmentVariable(k)!);
var environment = new BenchEnvironment(CpuModel(), Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
    OrtEnv.Instance().GetVersionString(), commit, variables);
var result = new BenchReport(new BenchSettings(batch, reps, blockMs, 1), environment, new LoadAverages(loadStart, OtherLoad.LoadAverage()), reports);
json ??= Path.Combine("out", "bench", DateTime.Now.ToString("'onnx-'yyyyMMdd-HHmmss'.json'", invariant));
result.Write(json);
Console.WriteLine($"ratio: ModelC / ORT per-thread CPU time per run; every repetition in {json}");
if (reports.Any(r => r.OtherCpus > 0.25))
{
    Console.WriteLine("other processes used more than a quarter of a CPU during some models: their wall-clock figures mean little, per-thread CPU still holds");
}
return 0;

// Milliseconds in 8 characters, three to five significant digits (0.00484, 52.301, 2099.4).
static string Ms(double ms) => ms.ToString(ms >= 1000 ? "F1" : ms >= 100 ? "F2" : ms >= 10 ? "F3" : ms >= 1 ? "F4" : "F5", CultureInfo.InvariantCulture).PadLeft(8);

static string CpuModel()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
    }
    catch (IOException)
    {
        return "unknown";
    }
}
