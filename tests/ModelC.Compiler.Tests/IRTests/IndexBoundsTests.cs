using ModelC.Compiler.IR;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Compiler.Tests.IRTests;

/// <summary>
/// The valid range of i32 inputs used as class labels (cross-entropy) or gather indices
/// (embedding), found in the optimized train-step graph, which the runtime checks fed values against.
/// </summary>
public sealed class IndexBoundsTests
{
    private const string Source = """
        import std.nn;
        model Tagger(B: batch) {
            input  tokens: i32[B, 6];
            input  y: i32[B, 6];
            input  x: f32[B, 6];
            output logits = linear(5)(embedding(100, 8)(tokens) + embedding(40, 8)(tokens));
            loss   cross_entropy(logits, y);
            optimizer sgd(lr = 0.1);
        }
        """;

    [Theory]
    [InlineData(ExecutionMode.Training)]
    [InlineData(ExecutionMode.Evaluation)]
    public void LabelsAreBoundedByTheClassesAndIndicesByTheSmallestTable(ExecutionMode mode)
    {
        var graph = GraphPipeline.Run(CompilerDriver.Elaborate(Source, mode: mode)).Graph;

        var bounds = IndexBounds.Of(graph);

        Assert.Equal(new Dictionary<string, int> { ["tokens"] = 40, ["y"] = 5 }, bounds);
    }

    [Fact]
    public void AModelThatIndexesNothingHasNoBounds()
    {
        var graph = CompilerDriver.Elaborate("model Id(B: batch) { input n: i32[B]; output m = n; }").Graph;
        Assert.Empty(IndexBounds.Of(graph));
    }
}
