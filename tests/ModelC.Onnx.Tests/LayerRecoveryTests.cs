using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;
using ModelC.Onnx.Proto;

namespace ModelC.Onnx.Tests;

/// <summary>
/// The export is written at the level of the layers the model used, not only of the IR's
/// primitives: each example's layers come back as their ONNX ops.
/// </summary>
public sealed class LayerRecoveryTests
{
    [Theory]
    [InlineData("examples/mlp/mlp.mdl", "Mlp", "Gemm Relu Gemm Relu Gemm Identity")]
    [InlineData("examples/einspace/resnet18.mdl", "ResNet18", "Conv BatchNormalization LeakyRelu MaxPool")]
    [InlineData("examples/einspace/attention.mdl", "Attention", "Softmax MatMul")]
    [InlineData("examples/einspace/vit.mdl", "Vit", "LayerNormalization Softmax MatMul LeakyRelu")]
    public void LayersBecomeTheirOnnxOps(string file, string model, string expected)
    {
        var onnx = ForwardComparison.ExportAndCompare(Elaborate(file, model));
        var ops = onnx.Graph.Node.Select(n => n.OpType).ToList();
        var histogram = string.Join(", ", ops.GroupBy(o => o).Select(g => $"{g.Key}×{g.Count()}"));
        foreach (var op in expected.Split(' '))
        {
            Assert.True(ops.Contains(op), $"{model} has no {op}: {histogram}");
        }
        Assert.DoesNotContain("Einsum", ops);
        if (model == "Mlp")
        {
            Assert.Equal(expected.Split(' '), ops);
        }
    }

    private const string Layers = """
        import std.nn;
        model Layers(B: batch) {
            input  image: f32[B, 3, 8, 8];
            let features = (conv(4, k = 3, pad = 1) >> sigmoid >> avg_pool(2) >> conv_transpose(2, k = 2, stride = 2) >> max_pool(2, pad = 1))(image);
            let tokens = (flatten >> linear(16) >> gelu >> layer_norm)(features);
            output scores = log_softmax(tokens);
        }
        """;

    [Theory]
    [InlineData(17, "Conv Sigmoid AveragePool ConvTranspose MaxPool Gemm Erf LayerNormalization LogSoftmax")]
    [InlineData(20, "Conv Sigmoid AveragePool ConvTranspose MaxPool Gemm Gelu LayerNormalization LogSoftmax")]
    public void TheStandardLayersBecomeTheirOnnxOpsAtEachOpset(int opset, string expected)
    {
        var onnx = ForwardComparison.ExportAndCompare(CompilerDriver.Elaborate(Layers), opset);

        var ops = onnx.Graph.Node.Select(n => n.OpType).ToList();
        Assert.Equal(expected.Split(' '), ops.Where(expected.Split(' ').Contains).Distinct());
        Assert.DoesNotContain("Einsum", ops);
        Assert.DoesNotContain("Softmax", ops);
    }

    private static ElaboratedModel Elaborate(string file, string model)
    {
        var compilation = Compilation.Load(RepositoryPaths.Get(file), CompilerDriver.Options);
        return compilation.Elaborate(compilation.FindModel(model)!, ExecutionMode.Inference, null).Model!;
    }
}
