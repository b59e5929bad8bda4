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

namespace ModelC.OnnxBench;

/// <summary>
/// One model ready to run on both sides with the same weights and inputs, one thread each: the
/// compiled ModelC instance and an ONNX Runtime session (CPU execution provider, sequential).
/// </summary>
internal sealed class BenchPair : IDisposable
{
    private readonly ModelInstance instance;
    private readonly InferenceSession session;
    private readonly List<NamedOnnxValue> feeds;
    private readonly bool profiling;

    private BenchPair(string name, string source, ModelInstance instance, InferenceSession session, List<NamedOnnxValue> feeds, bool profiling)
    {
        (Name, Source, this.instance, this.session, this.feeds, this.profiling) = (name, source, instance, session, feeds, profiling);
    }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>"exported" (a ModelC model written as ONNX) or "torch.onnx" (an ONNX file imported).</summary>
    public string Source { get; }

    /// <summary>A ModelC model, exported to ONNX with the instance's initial weights.</summary>
    public static BenchPair FromMdl(string file, string modelName, CompilationOptions options, int batch, string? ortProfile)
    {
        var compilation = Compilation.Load(file, options);
        var model = compilation.Elaborate(compilation.FindModel(modelName)!, ModelC.Compiler.Semantics.Elaboration.ExecutionMode.Inference, null).Model!;
        var instance = Instantiate(model, batch);
        var weights = instance.Manifest.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State).ToDictionary(t => t.Name, t => instance.Copy(t.Name));
        return Pair(model.Name, "exported", instance, OnnxExporter.Export(model, weights), ortProfile);
    }

    /// <summary>An ONNX file written elsewhere, imported to .mdl with its initializers as weights;
    /// named after the file (torch_mlp.onnx → TorchMlp).</summary>
    public static BenchPair FromOnnx(string file, CompilationOptions options, int batch, string? ortProfile)
    {
        var onnx = ModelProto.Parser.ParseFrom(File.ReadAllBytes(file));
        var name = string.Concat(Path.GetFileNameWithoutExtension(file).Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        var imported = OnnxImporter.Import(onnx, name);
        var path = Path.Combine(Path.GetTempPath(), $"onnx-bench-{name}.mdl");
        File.WriteAllText(path, imported.Source);
        var compilation = Compilation.Load(path, options);
        var model = compilation.Elaborate(compilation.Models[0], ModelC.Compiler.Semantics.Elaboration.ExecutionMode.Inference, null).Model!;
        var instance = Instantiate(model, batch);
        foreach (var (weight, values) in imported.Weights)
        {
            ((float[])values.Data).CopyTo(instance.Floats(weight));
        }
        return Pair(model.Name, "torch.onnx", instance, onnx, ortProfile);
    }

    /// <summary>One ModelC forward pass.</summary>
    public void RunModelC() => instance.Run();

    /// <summary>One ONNX Runtime forward pass.</summary>
    public void RunOrt() => session.Run(feeds).Dispose();

    /// <summary>Ends ONNX Runtime's per-operator profiling, where it was on; returns the file it wrote.</summary>
    public string? EndOrtProfiling() => profiling ? session.EndProfiling() : null;

    /// <inheritdoc/>
    public void Dispose()
    {
        session.Dispose();
        instance.Dispose();
    }

    private static ModelInstance Instantiate(ElaboratedModel model, int batch)
    {
        var compiled = ModelCompiler.Compile(model, CpuTarget.Host);
        return new ModelInstance(compiled.Manifest, compiled.Kernels, compiled.Manifest.Symbols.ToDictionary(s => s, _ => batch), new ModelOptions(1, 0), ownsKernels: true);
    }

    // Random inputs in [-1, 1) (index inputs zero), the same values fed to both sides.
    private static BenchPair Pair(string name, string source, ModelInstance instance, ModelProto onnx, string? ortProfile)
    {
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
        // Only the inputs the ONNX graph declares (an exported file has only those).
        feeds.RemoveAll(f => !onnx.Graph.Input.Any(g => g.Name == f.Name));
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_SEQUENTIAL };
        if (ortProfile is not null)
        {
            // The prefix first: setting EnableProfiling passes the prefix it holds then to ORT.
            sessionOptions.ProfileOutputPathPrefix = Path.Combine(ortProfile, name);
            sessionOptions.EnableProfiling = true;
        }
        var session = new InferenceSession(onnx.ToByteArray(), sessionOptions);
        return new BenchPair(name, source, instance, session, feeds, ortProfile is not null);
    }
}
