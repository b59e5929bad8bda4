using ModelC.Search.Programs;
using ModelC.Search.Sampling;
using ModelC.Search.Space;

namespace ModelC.Search.Tests;

/// <summary>The grammar's productions, probabilities and limits, and how derivations print.</summary>
public sealed class GrammarTests
{
    [Fact]
    public void TheRootIsNeverAComputationAndTheDepthLimitForcesOne()
    {
        var grammar = EinspaceGrammar.Default;
        Assert.DoesNotContain(grammar.ProductionsAt(0), p => p.Kind == ModuleKind.Computation);
        Assert.Equal(1.0, grammar.ProductionsAt(0).Sum(p => p.Probability), 12);
        Assert.Equal(0.32, grammar.ProductionsAt(1).Single(p => p.Kind == ModuleKind.Computation).Probability);
        Assert.Equal(1.0, grammar.ProductionsAt(1).Sum(p => p.Probability), 12);
        Assert.Equal([(ModuleKind.Computation, 1.0)], grammar.ProductionsAt(grammar.MaxDepth));
    }

    [Fact]
    public void SamplesStayWithinTheLimitsAndTheDepth()
    {
        var grammar = EinspaceGrammar.Default with { MaxDepth = 4, MaxParameters = 20_000, MaxMacs = 200_000, MaxLayers = 40 };
        var sampler = new ArchitectureSampler(grammar);
        var random = new Random(1);
        for (var i = 0; i < 300; i++)
        {
            var network = sampler.Sample(Tasks.Digits.SearchInput, random);
            Assert.True(network.Parameters <= 20_000 && network.Macs <= 200_000 && network.Layers <= 40);
            Assert.True(network.Walk().Max(n => n.Depth) <= 4);
            Assert.NotEqual(ModuleKind.Computation, network.Kind);
        }
        Assert.True(sampler.OversizedDraws > 0);
    }

    [Fact]
    public void ConvolutionPrintsAsEinspaceWritesItAndAForeignGridIsWrittenOut()
    {
        var image = new FeatureShape([1, 8, 8]);
        var tokens = EinspaceTerminals.Im2Col(3, 1, 1).Apply(image)!.Outputs[0];
        var conv = new RoutingNode(image, EinspaceTerminals.Im2Col(3, 1, 1), Computation(EinspaceTerminals.Linear(16), tokens), EinspaceTerminals.Col2ImOfGrid, new FeatureShape([16, 8, 8]));
        Assert.Equal("route im2col(3, 1, 1) [ linear(16) ] col2im", Print(conv));
        Assert.Equal(9 * 16 + 16, conv.Parameters);

        // The tokens keep their grid through a route with another pre: col2im there needs it written.
        var later = new RoutingNode(tokens, EinspaceTerminals.Identity(TerminalKind.PreRoute), Computation(EinspaceTerminals.Norm, tokens), EinspaceTerminals.Col2ImOfGrid, new FeatureShape([9, 8, 8]));
        Assert.Equal("route identity [ norm ] col2im(8, 8)", Print(later));
    }

    [Fact]
    public void ShapeRulesRefuseWhatTheBuiltinsRefuse()
    {
        var image = new FeatureShape([3, 8, 8]);
        Assert.Null(EinspaceTerminals.Group(2, 1).Apply(image));
        Assert.Null(EinspaceTerminals.Im2Col(16, 16, 0).Apply(image));
        Assert.Null(EinspaceTerminals.Col2ImOfGrid.Apply(new FeatureShape([6, 4], new PatchGrid(2, 2))));
        Assert.Null(EinspaceTerminals.MatMul.Rule([new FeatureShape([4, 5]), new FeatureShape([4, 5])]));
        Assert.Equal(new FeatureShape([4, 4]), EinspaceTerminals.MatMul.Rule([new FeatureShape([4, 5]), new FeatureShape([5, 4])])!.Outputs[0]);
        Assert.Null(EinspaceTerminals.Concat(1).Rule([new FeatureShape([4, 5]), new FeatureShape([3, 4])]));
        Assert.Equal(new FeatureShape([7, 5]), EinspaceTerminals.Concat(1).Rule([new FeatureShape([4, 5]), new FeatureShape([3, 5])])!.Outputs[0]);
    }

    private static ComputationNode Computation(Terminal terminal, FeatureShape input)
    {
        var result = terminal.Apply(input)!;
        return new ComputationNode(terminal, input, result.Outputs[0], result.Parameters, result.Macs);
    }

    private static string Print(ArchitectureNode node) => ModelC.Compiler.Syntax.SyntaxPrinter.Print(ArchitectureSyntax.Of(node));
}
