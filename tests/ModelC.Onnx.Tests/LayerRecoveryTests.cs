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

    private static ElaboratedModel Elaborate(string file, string model)
    {
        var compilation = Compilation.Load(RepositoryPaths.Get(file), CompilerDriver.Options);
        return compilation.Elaborate(compilation.FindModel(model)!, ExecutionMode.Inference, null).Model!;
    }
}
