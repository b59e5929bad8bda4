using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Onnx.Export;
using ModelC.Onnx.Proto;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Initialization;
using ModelC.Runtime.Manifest;

namespace ModelC.Onnx.Tests;

/// <summary>
/// Runs a model compiled by ModelC and its ONNX export under ONNX Runtime on the same random
/// inputs and weights, and compares every output normwise.
/// </summary>
internal static class ForwardComparison
{
    public const double Tolerance = 1e-5;

    /// <summary>The exported model, after checking that its outputs match the compiled model's at batch 2.</summary>
    public static ModelProto ExportAndCompare(ElaboratedModel model, int opset = OnnxExporter.DefaultOpset)
    {
        var compiled = ModelCompiler.Compile(model, CpuTarget.Host);
        var symbols = compiled.Manifest.Symbols.ToDictionary(s => s, _ => 2);
        using var instance = new ModelInstance(compiled.Manifest, compiled.Kernels, symbols, new ModelOptions(1, 7), ownsKernels: true);
        var inputs = FillInputs(instance);
        instance.Run();
        var weights = instance.Manifest.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State)
            .ToDictionary(t => t.Name, t => instance.Copy(t.Name));
        var onnx = OnnxExporter.Export(model, weights, opset);
        var results = Run(onnx, inputs);
        foreach (var output in instance.Manifest.TensorsOf(TensorRole.Output).Where(t => t.Replaces is null))
        {
            var expected = instance.Copy(output.Name);
            var actual = results[output.Name];
            Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
            AssertClose((float[])expected.Data, (float[])actual.Data, $"{model.Name}.{output.Name}");
        }
        return onnx;
    }

    /// <summary>Runs an ONNX model with ONNX Runtime (one thread) and returns every output.</summary>
    public static Dictionary<string, DataArray> Run(ModelProto onnx, IReadOnlyDictionary<string, DataArray> inputs)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(onnx.ToByteArray(), options);
        var feeds = inputs.Select(i => i.Value.Type switch
        {
            ElementType.F32 => NamedOnnxValue.CreateFromTensor(i.Key, new DenseTensor<float>((float[])i.Value.Data, [.. i.Value.Shape])),
            ElementType.I32 => NamedOnnxValue.CreateFromTensor(i.Key, new DenseTensor<int>((int[])i.Value.Data, [.. i.Value.Shape])),
            _ => NamedOnnxValue.CreateFromTensor(i.Key, new DenseTensor<bool>(((byte[])i.Value.Data).Select(b => b != 0).ToArray(), [.. i.Value.Shape])),
        }).ToList();
        using var results = session.Run(feeds);
        return results.ToDictionary(r => r.Name, r =>
        {
            var tensor = r.AsTensor<float>();
            return DataArray.Of(tensor.ToArray(), [.. tensor.Dimensions]);
        });
    }

    /// <summary>‖actual − expected‖ ≤ tolerance · ‖expected‖.</summary>
    public static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += Math.Pow(actual[i] - (double)expected[i], 2);
            norm += (double)expected[i] * expected[i];
        }
        var relative = Math.Sqrt(difference) / Math.Max(Math.Sqrt(norm), 1e-30);
        Assert.True(relative <= Tolerance, $"{what}: relative difference {relative:G3} > {Tolerance}");
    }

    // Floats uniform in [−1, 1), integers (labels, tokens) in [0, 4), from a fixed seed.
    private static Dictionary<string, DataArray> FillInputs(ModelInstance instance)
    {
        var inputs = new Dictionary<string, DataArray>();
        foreach (var input in instance.Manifest.TensorsOf(TensorRole.Input))
        {
            var random = new DeterministicRandom(ParameterSampler.StreamSeed(11, input.Name));
            switch (instance.Manifest.Buffers[input.Buffer].Type)
            {
                case ElementType.F32:
                    var floats = instance.Floats(input.Name);
                    for (var i = 0; i < floats.Length; i++)
                    {
                        floats[i] = (float)(2 * random.NextDouble() - 1);
                    }
                    break;
                case ElementType.I32:
                    var ints = instance.Ints(input.Name);
                    for (var i = 0; i < ints.Length; i++)
                    {
                        ints[i] = (int)(random.NextUInt64() % 4);
                    }
                    break;
                default:
                    var bytes = instance.Bytes(input.Name);
                    for (var i = 0; i < bytes.Length; i++)
                    {
                        bytes[i] = (byte)(random.NextUInt64() & 1);
                    }
                    break;
            }
            inputs[input.Name] = instance.Copy(input.Name);
        }
        return inputs;
    }
}
