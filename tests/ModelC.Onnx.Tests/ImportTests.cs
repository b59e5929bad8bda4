using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.Tests;
using ModelC.Onnx.Import;
using ModelC.Onnx.Proto;
using ModelC.Runtime.Data;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Initialization;

namespace ModelC.Onnx.Tests;

/// <summary>
/// ONNX files written by PyTorch's exporter (Models/make_models.py) import as .mdl models that,
/// compiled with the imported weights, compute what ONNX Runtime computes from the file.
/// </summary>
public sealed class ImportTests
{
    [Theory]
    [InlineData("mlp.onnx", new[] { 2, 12 }, "linear(16)")]
    [InlineData("cnn.onnx", new[] { 2, 3, 16, 16 }, "conv(8, k = 3, stride = 2, pad = 1")]
    // MatMul + Add of the bias on tokens (B, 5, 16): one linear layer with its bias.
    [InlineData("tokens_mlp.onnx", new[] { 2, 5, 16 }, "linear(32)")]
    public void TheImportedModelMatchesOnnxRuntime(string file, int[] inputShape, string layer)
    {
        var onnx = Read(file);
        var imported = OnnxImporter.Import(onnx, "Imported");
        Assert.Contains(layer, imported.Source, StringComparison.Ordinal);

        var model = CompilerDriver.Elaborate(imported.Source, "Imported");
        var compiled = ModelCompiler.Compile(model, CpuTarget.Host);
        using var instance = new ModelInstance(compiled.Manifest, compiled.Kernels, compiled.Manifest.Symbols.ToDictionary(s => s, _ => inputShape[0]), new ModelOptions(1, 0), ownsKernels: true);
        foreach (var (name, weight) in imported.Weights)
        {
            ((float[])weight.Data).CopyTo(instance.Floats(name));
        }
        var random = new DeterministicRandom(5);
        var x = new float[inputShape.Aggregate(1, (n, d) => n * d)];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (float)(2 * random.NextDouble() - 1);
        }
        x.CopyTo(instance.Floats("x"));
        instance.Run();

        var expected = ForwardComparison.Run(onnx, new Dictionary<string, DataArray> { ["x"] = DataArray.Of(x, inputShape) })["y"];
        ForwardComparison.AssertClose((float[])expected.Data, instance.Floats("y").ToArray(), file);
    }

    [Fact]
    public void NodesWithoutAnMdlFormAreListedByName()
    {
        // PyTorch's attention computes its reshapes from Shape nodes at run time.
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Read("encoder.onnx"), "Encoder"));

        Assert.Contains("Reshape node '/self_attn/Reshape': its target shape is computed at run time from tensor shapes", error.Message, StringComparison.Ordinal);
        // The shape arithmetic feeding it is not listed node by node, nor is the in-projection's bias Add.
        Assert.DoesNotContain("Shape node", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Gather node", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Add node", error.Message, StringComparison.Ordinal);
        // Nodes that fail only because their inputs did are not listed.
        Assert.DoesNotContain("nothing computed", error.Message, StringComparison.Ordinal);
    }

    private static ModelProto Read(string file) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepositoryPaths.Get("tests", "ModelC.Onnx.Tests", "Models", file)));
}
