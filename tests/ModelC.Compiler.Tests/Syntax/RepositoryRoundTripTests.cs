using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Tests.Docs;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>
/// Every <c>.mdl</c> source of the repository (stdlib/, examples/, docs/ and the ModelC blocks
/// of the Markdown documentation) printed by <see cref="SyntaxPrinter"/> parses back to the same
/// tree, prints to the same text again, and the printed examples, compiled against the printed
/// standard library, elaborate to the same graphs as the originals.
/// </summary>
public sealed class RepositoryRoundTripTests
{
    /// <summary>The .mdl files, repository-relative.</summary>
    public static TheoryData<string> Files() => [.. SourceFiles()];

    /// <summary>The examples, repository-relative.</summary>
    public static TheoryData<string> Examples() => [.. SourceFiles().Where(f => f.StartsWith("examples/", StringComparison.Ordinal))];

    private static List<string> SourceFiles() =>
    [
        .. new[] { "stdlib", "examples", "docs" }
            .SelectMany(folder => Directory.GetFiles(RepositoryPaths.Get(folder), "*.mdl", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    [Fact]
    public void EveryKindOfSourceIsCovered()
    {
        var files = SourceFiles();
        Assert.Contains("stdlib/nn.mdl", files);
        Assert.Contains("examples/mlp/mlp.mdl", files);
        Assert.Contains("docs/examples/blocks.mdl", files);
        Assert.True(DocumentationTests.Examples().Count() >= 60, "the Markdown blocks were not found");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void AFilePrintsToSourceThatParsesToTheSameTree(string file)
    {
        var tree = Parser.Parse(new SourceText(file, File.ReadAllText(RepositoryPaths.Get(file))));
        Assert.True(tree.Diagnostics.IsEmpty, string.Join("\n", tree.Diagnostics));
        PrinterRoundTrip.Check(tree.Root, file);
    }

    [Theory]
    [MemberData(nameof(DocumentationTests.Examples), MemberType = typeof(DocumentationTests))]
    public void ADocumentationBlockPrintsToSourceThatParsesToTheSameTree(string file, int line)
    {
        var block = MarkdownCodeBlocks.Parse(file, File.ReadAllText(RepositoryPaths.Get(file))).Single(b => b.Line == line);
        var tree = Parser.Parse(new SourceText(block.Where, block.Source));
        if (!tree.IsValid)
        {
            // An error example may show a syntax error; there is no tree to print.
            Assert.Equal(DocBlockChecker.ErrorExample, block.Language);
            return;
        }
        PrinterRoundTrip.Check(tree.Root, block.Where);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void APrintedExampleElaboratesToTheSameGraphs(string example)
    {
        using var printedStdlib = new TempDirectory();
        foreach (var module in Directory.GetFiles(RepositoryPaths.Get("stdlib"), "*.mdl"))
        {
            var tree = Parser.Parse(new SourceText(module, File.ReadAllText(module)));
            File.WriteAllText(printedStdlib.File(Path.GetFileName(module)), SyntaxPrinter.Print(tree.Root));
        }
        var path = RepositoryPaths.Get(example);
        var original = Compilation.Load(path, CompilerDriver.Options);
        var printedSource = SyntaxPrinter.Print(Parser.Parse(new SourceText(path, File.ReadAllText(path))).Root);
        // Compiled at the original's path, so that its file imports resolve as the original's do.
        var printed = Compilation.FromSource(path, printedSource, new CompilationOptions { StandardLibrary = printedStdlib.Path });
        Assert.False(original.HasErrors, string.Join("\n", original.Diagnostics));
        Assert.False(printed.HasErrors, string.Join("\n", printed.Diagnostics));
        Assert.Equal(original.Models.Select(m => m.Name), printed.Models.Select(m => m.Name));

        foreach (var (model, printedModel) in original.Models.Zip(printed.Models))
        {
            foreach (var mode in model.HasLoss ? [ExecutionMode.Inference, ExecutionMode.Training] : (ExecutionMode[])[ExecutionMode.Inference])
            {
                var expected = original.Elaborate(model, mode);
                var actual = printed.Elaborate(printedModel, mode);
                Assert.True(expected.Model is not null, string.Join("\n", expected.Diagnostics));
                Assert.True(actual.Model is not null, string.Join("\n", actual.Diagnostics));
                Assert.Equal(GraphPrinter.Print(expected.Model.Graph), GraphPrinter.Print(actual.Model.Graph));
            }
        }
    }
}
