using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Onnx.Export;
using ModelC.Onnx.Import;
using ModelC.Onnx.Proto;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

// modelc-onnx-bench STDLIB BATCH REPS [--mdl FILE MODEL]… [--onnx FILE]…
// --mdl: a ModelC model, exported to ONNX; --onnx: an ONNX file written elsewhere, imported to .mdl.
// Both sides run the same weights and inputs on one thread; prints one line per model.
var (stdlib, batch, reps) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
var options = new CompilationOptions { StandardLibrary = stdlib };
Console.WriteLine("model                      source      ModelC ms (cpu)   ORT ms (cpu)   ratio");
for (var i = 3; i < args.Length; i++)
{
    ElaboratedModel model;
    ModelProto onnx;
    Dictionary<string, DataArray>? weights = null;
    string source;
    if (args[i] == "--mdl")
    {
        var compilation = Compilation.Load(args[i + 1], options);
        model = compilation.Elaborate(compilation.FindModel(args[i + 2])!, ModelC.Compiler.Semantics.Elaboration.ExecutionMode.Inference, null).Model!;
        onnx = null!;
        source = "exported";
        i += 2;
    }
    else
    {
        onnx = ModelProto.Parser.ParseFrom(File.ReadAllBytes(args[i + 1]));
        // torch_mlp.onnx → TorchMlp
        var name = string.Concat(Path.GetFileNameWithoutExtension(args[i + 1]).Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        var imported = OnnxImporter.Import(onnx, name);
        var path = Path.Combine(Path.GetTempPath(), $"onnx-bench-{name}.mdl");
        File.WriteAllText(path, imported.Source);
        var compilation = Compilation.Load(path, options);
        model = compilation.Elaborate(compilation.Models[0], ModelC.Compiler.Semantics.Elaboration.ExecutionMode.Inference, null).Model!;
        weights = imported.Weights.ToDictionary(w => w.Key, w => w.Value);
        source = "torch.onnx";
        i += 1;
    }
    var compiled = ModelCompiler.Compile(model, CpuTarget.Host);
    using var instance = new ModelInstance(compiled.Manifest, compiled.Kernels, compiled.Manifest.Symbols.ToDictionary(s => s, _ => batch), new ModelOptions(1, 0), ownsKernels: true);
    if (weights is null)
    {
        weights = instance.Manifest.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State).ToDictionary(t => t.Name, t => instance.Copy(t.Name));
        onnx = OnnxExporter.Export(model, weights);
    }
    else
    {
        foreach (var (name, weight) in weights)
        {
            ((float[])weight.Data).CopyTo(instance.Floats(name));
        }
    }
    var random = new Random(1);
    var feeds = new List<NamedOnnxValue>();
    foreach (var input in instance.Manifest.TensorsOf(TensorRole.Input))
    {
        var shape = instance.ShapeOf(input.Name).Select(d => (int)d).ToArray();
        if (instance.Manifest.Buffers[input.Buffer].Type != ElementType.F32)
        {
            var ints = instance.Ints(input.Name);
            ints.Clear();
            feeds.Add(NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<int>(ints.ToArray(), shape)));
            continue;
        }
        var floats = instance.Floats(input.Name);
        for (var k = 0; k < floats.Length; k++)
        {
            floats[k] = (float)(2 * random.NextDouble() - 1);
        }
        feeds.Add(NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(floats.ToArray(), shape)));
    }
    // Only the outputs the model declares (an exported file has only those).
    feeds.RemoveAll(f => !onnx.Graph.Input.Any(g => g.Name == f.Name));
    using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_SEQUENTIAL };
    using var session = new InferenceSession(onnx.ToByteArray(), sessionOptions);
    var modelc = Time(instance.Run, reps);
    var ort = Time(() => session.Run(feeds).Dispose(), reps);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{model.Name,-26} {source,-11} {modelc.Wall,8:F3} ({modelc.Cpu,7:F3}) {ort.Wall,8:F3} ({ort.Cpu,7:F3})  {modelc.Cpu / ort.Cpu,5:F2}"));
}

// Median wall-clock and per-thread CPU milliseconds over interleaved timed runs after two warm-ups.
static (double Wall, double Cpu) Time(Action run, int reps)
{
    run();
    run();
    var walls = new List<double>();
    var cpus = new List<double>();
    for (var r = 0; r < reps; r++)
    {
        var cpu = ThreadCpuClock.Nanoseconds() * 1e-6;
        var clock = Stopwatch.StartNew();
        run();
        walls.Add(clock.Elapsed.TotalMilliseconds);
        cpus.Add(ThreadCpuClock.Nanoseconds() * 1e-6 - cpu);
    }
    return (walls.Order().ElementAt(reps / 2), cpus.Order().ElementAt(reps / 2));
}
