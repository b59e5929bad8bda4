using ModelC.Compiler.Syntax;
using ModelC.Compiler.Tests.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>
/// <see cref="SyntaxPrinter"/> on random programs: trees from <see cref="SyntaxTreeGenerator"/>
/// and mutations of the repository's files that still parse. Each prints to text that parses
/// back to the same tree and prints the same again, at any line width; and every parenthesis the
/// printer adds is needed: without it the text means another tree or none.
/// </summary>
public sealed class PrinterFuzzTests
{
    private const int GeneratedPrograms = 400;
    private const int MutationsPerSeed = 40;
    private const int BatchCount = 4;

    // Wide, narrow, and so narrow that every group breaks.
    private static readonly int[] Widths = [SyntaxPrinter.DefaultLineWidth, 30, 1];

    /// <summary>The generated programs are checked in batches, which run in parallel.</summary>
    public static TheoryData<int> Batches() => [.. Enumerable.Range(0, BatchCount)];

    [Theory]
    [MemberData(nameof(Batches))]
    public void GeneratedTreesRoundTripAtEveryWidth(int batch)
    {
        for (var index = batch; index < GeneratedPrograms; index += BatchCount)
        {
            var tree = new SyntaxTreeGenerator(FuzzRandom.ForCase("printer", index)).Unit();
            foreach (var width in Widths)
            {
                PrinterRoundTrip.Check(tree, $"generated program {index} at width {width}", ignoreParentheses: true, width);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void EveryParenthesisThePrinterAddsIsNeeded(int batch)
    {
        var checkedParentheses = 0;
        for (var index = batch; index < GeneratedPrograms; index += BatchCount)
        {
            var tree = new SyntaxTreeGenerator(FuzzRandom.ForCase("printer", index)).Unit();
            var (text, reparsed) = PrinterRoundTrip.Check(tree, $"generated program {index}", ignoreParentheses: true);
            foreach (var paren in SyntaxEquivalence.Descendants(reparsed.Root).OfType<ParenthesizedSyntax>())
            {
                var without = text.Remove(paren.Span.End - 1, 1).Remove(paren.Span.Start, 1);
                var other = Parser.Parse(new SourceText("without.mdl", without));
                Assert.False(other.IsValid && SyntaxEquivalence.FirstDifference(tree, other.Root, ignoreParentheses: true) is null,
                    $"generated program {index}: the parentheses at {paren.Span} are not needed:\n{text}");
                checkedParentheses++;
            }
        }
        Assert.True(checkedParentheses > 100, $"only {checkedParentheses} parentheses were checked");
    }

    [Theory]
    [MemberData(nameof(MutationFuzzTests.Seeds), MemberType = typeof(MutationFuzzTests))]
    public void MutatedFilesThatParseRoundTrip(string seedName)
    {
        var seed = FuzzCorpus.Get(seedName);
        var parsed = 0;
        for (var index = 0; index < MutationsPerSeed; index++)
        {
            var fuzzCase = FuzzCase.Generate(seed, index);
            var tree = Parser.Parse(new SourceText(seedName, fuzzCase.Source));
            if (!tree.Diagnostics.IsEmpty)
            {
                continue;
            }
            parsed++;
            PrinterRoundTrip.Check(tree.Root, $"{seedName} case {index}");
        }
        Assert.True(parsed >= MutationsPerSeed / 4, $"only {parsed} of {MutationsPerSeed} mutations parse");
    }
}
