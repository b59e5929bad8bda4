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
    // nn.TransformerEncoderLayer (batch first, eval): its attention subgraph is std.nn's mhsa.
    [InlineData("encoder.onnx", new[] { 3, 5, 16 }, "let self_attn = mhsa(x, 2);")]
    // The same with norm_first and GELU (written with Erf at opset 17): 4 heads of 4.
    [InlineData("encoder_gelu_norm_first.onnx", new[] { 2, 7, 16 }, "gelu(")]
    // nn.TransformerEncoder of two such layers.
    [InlineData("encoder_stack.onnx", new[] { 2, 5, 16 }, "let layers_1_self_attn = mhsa(layers_0_norm2_layer_norm, 2);")]
    // Opset 14: the layer norms written out with ReduceMean, Pow, Sqrt….
    [InlineData("encoder_opset14.onnx", new[] { 2, 5, 16 }, "= layer_norm(eps = 1e-05)(")]
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

    [Theory]
    // Multiplying the queries by √d_k instead of dividing: the same ops in the same places but one.
    [InlineData("/self_attn/Div_2", "OpType", "Mul", "the queries are multiplied by 2.828")]
    // The keys transposed as the queries are: their scores would be (B·H, S, S) still.
    [InlineData("/self_attn/Transpose_3", "perm", "1,0,2", "the keys' transpose ('/self_attn/Transpose_3') permutes the axes as [1, 0, 2], not [1, 2, 0]")]
    // A Sigmoid where the Softmax was: no attention at all.
    [InlineData("/self_attn/Softmax", "OpType", "Sigmoid", null)]
    public void AnAttentionThatDiffersFromPyTorchsIsRefusedNotMisimported(string node, string field, string value, string? why)
    {
        var onnx = Read("encoder.onnx");
        var changed = onnx.Graph.Node.Single(n => n.Name == node);
        if (field == "OpType")
        {
            changed.OpType = value;
        }
        else
        {
            var perm = changed.Attribute.Single(a => a.Name == field).Ints;
            perm.Clear();
            perm.AddRange(value.Split(',').Select(long.Parse));
        }

        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(onnx, "Encoder"));

        // The reshapes that fold the batch into the heads are named, and why the attention was not recognised.
        Assert.Contains("Reshape node '/self_attn/Reshape': its target shape is computed at run time from tensor shapes", error.Message, StringComparison.Ordinal);
        if (why is not null)
        {
            Assert.Contains($"Softmax node '/self_attn/Softmax' is not imported as multi-head attention: {why}", error.Message, StringComparison.Ordinal);
        }
        // The shape arithmetic feeding it is not listed node by node, nor is the in-projection's bias Add.
        Assert.DoesNotContain("Shape node", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Gather node", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Add node", error.Message, StringComparison.Ordinal);
        // Nodes that fail only because their inputs did are not listed.
        Assert.DoesNotContain("nothing computed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASequenceFirstLayerIsRefusedNamingItsInput()
    {
        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Read("encoder_seq_first.onnx"), "Encoder"));

        Assert.Contains("input 'x' has its symbolic dimension 'B' at axis 1; a .mdl input has the batch first (export PyTorch's sequence-first layers with batch_first=True)", error.Message, StringComparison.Ordinal);
    }

    private static ModelProto Read(string file) =>
        ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepositoryPaths.Get("tests", "ModelC.Onnx.Tests", "Models", file)));
}
