using System.Text.RegularExpressions;
using ModelC.Compiler.Reports;
using ModelC.Compiler.Semantics;
using ModelC.Compiler.Semantics.Builtins;
using ModelC.Compiler.Syntax;

namespace ModelC.Compiler.Tests.Docs;

/// <summary>
/// Keeps the documentation true: every ModelC example in docs/*.md and the README compiles (or
/// fails as it says it does), docs/builtins.md is what the compiler generates, and the language
/// reference mentions every built-in, every standard-library block (with its signature) and every
/// diagnostic code.
/// </summary>
public sealed partial class DocumentationTests
{
    private const string Regenerate = "modelc builtins --markdown > docs/builtins.md";

    private static readonly Lazy<List<CodeBlock>> AllBlocks = new(() => [.. DocumentedFiles().SelectMany(f =>
        MarkdownCodeBlocks.Parse(f, File.ReadAllText(RepositoryPaths.Get(f))))]);

    /// <summary>The ModelC examples, by file and line of their opening fence.</summary>
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var block in AllBlocks.Value.Where(b => b.Language is DocBlockChecker.Program or DocBlockChecker.ErrorExample))
        {
            data.Add(block.File, block.Line);
        }
        return data;
    }

    // ---------------------------------------------------------------------------------------------
    // (a) The examples compile, and the error examples fail as they say.
    // ---------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Examples))]
    public void ExampleIsRight(string file, int line)
    {
        var block = AllBlocks.Value.Single(b => b.File == file && b.Line == line);
        var problems = DocBlockChecker.Check(block, Path.GetDirectoryName(RepositoryPaths.Get(file))!);
        Assert.True(problems.Count == 0, $"the {block.Language} example at {block.Where} is wrong:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheLanguageReferenceHasManyExamples()
    {
        var reference = AllBlocks.Value.Where(b => b.File == "docs/language.md").ToList();
        Assert.True(reference.Count(b => b.Language == DocBlockChecker.Program) >= 40, "docs/language.md should show at least 40 compiling examples");
        Assert.True(reference.Count(b => b.Language == DocBlockChecker.ErrorExample) >= 20, "docs/language.md should show at least 20 error examples");
    }

    [Fact]
    public void EveryCodeBlockHasAKnownLanguage()
    {
        string[] known = [DocBlockChecker.Program, DocBlockChecker.ErrorExample, "text", "sh", "csharp", "xml"];
        var unknown = AllBlocks.Value.Where(b => !known.Contains(b.Language)).Select(b => $"{b.Where}: ```{b.Language}").ToList();
        Assert.True(unknown.Count == 0,
            $"code blocks need one of the languages {string.Join(", ", known)} (a misspelt 'mdl' would go untested):\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void LibrariesNextToTheDocsCompileCleanly()
    {
        var problems = new List<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Get("docs"), "*.mdl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var compilation = Compilation.Load(file, CompilerDriver.Options);
            problems.AddRange(compilation.Diagnostics.Select(d => d.ToString()));
        }
        Assert.True(problems.Count == 0, "the .mdl files under docs/ must compile without diagnostics:\n" + string.Join("\n", problems));
    }

    // ---------------------------------------------------------------------------------------------
    // (b) docs/builtins.md is generated.
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void BuiltinReferenceIsUpToDate()
    {
        var committed = File.ReadAllText(RepositoryPaths.Get("docs", "builtins.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var generated = BuiltinReference.Markdown();
        if (committed == generated)
        {
            return;
        }
        var committedLines = committed.Split('\n');
        var generatedLines = generated.Split('\n');
        var first = Enumerable.Range(0, Math.Min(committedLines.Length, generatedLines.Length))
            .FirstOrDefault(i => committedLines[i] != generatedLines[i], Math.Min(committedLines.Length, generatedLines.Length));
        Assert.Fail($"docs/builtins.md is not what the compiler generates; run `{Regenerate}`.\n"
            + $"First difference at line {first + 1}:\n"
            + $"  docs/builtins.md: {(first < committedLines.Length ? committedLines[first] : "<end of file>")}\n"
            + $"  generated:        {(first < generatedLines.Length ? generatedLines[first] : "<end of file>")}");
    }

    // ---------------------------------------------------------------------------------------------
    // (c) Everything is mentioned.
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void EveryBuiltinIsDocumented()
    {
        var names = CodeIdentifiers(ReadDoc("language.md") + "\n" + ReadDoc("builtins.md"));
        var missing = BuiltinRegistry.Groups.SelectMany(g => g.Members).Select(b => b.Name)
            .Concat(BuiltinRegistry.Constants.Keys)
            .Where(n => !names.Contains(n))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0,
            $"built-ins not mentioned in code in docs/language.md or docs/builtins.md (run `{Regenerate}`): {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryStandardLibraryBlockIsDocumentedWithItsSignature()
    {
        var reference = ReadDoc("language.md");
        var missing = new List<string>();
        var count = 0;
        foreach (var file in Directory.GetFiles(RepositoryPaths.Get("stdlib"), "*.mdl").Order(StringComparer.Ordinal))
        {
            var tree = SyntaxTree.Parse(new Text.SourceText(file, File.ReadAllText(file)));
            foreach (var block in tree.Root.Declarations.OfType<BlockDeclarationSyntax>())
            {
                count++;
                var signature = Signature(tree, block);
                if (!reference.Contains($"`{signature}`", StringComparison.Ordinal))
                {
                    missing.Add($"std.{Path.GetFileNameWithoutExtension(file)}: `{signature}`");
                }
            }
        }
        Assert.True(count > 0, "no standard-library blocks found");
        Assert.True(missing.Count == 0,
            "docs/language.md (The standard library) must list every standard-library block with its signature as written:\n"
            + string.Join("\n", missing));
    }

    [Fact]
    public void EveryDiagnosticCodeIsInTheTable()
    {
        var catalog = CatalogCodes();
        Assert.True(catalog.Count >= 60, $"found only {catalog.Count} diagnostic codes in the compiler's sources");
        var table = DocumentedCodes(ReadDoc("language.md"));
        var problems = new List<string>();
        foreach (var (code, severities) in catalog.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (!table.TryGetValue(code, out var documented))
            {
                problems.Add($"{code} ({string.Join("/", severities)}) is missing from the table");
            }
            else if (severities.Count != 1 || !severities.Contains(documented))
            {
                problems.Add($"{code} is documented as {documented} but the compiler reports it as {string.Join("/", severities)}");
            }
        }
        problems.AddRange(table.Keys.Where(c => !catalog.ContainsKey(c)).Order(StringComparer.Ordinal)
            .Select(c => $"{c} is in the table but the compiler has no such diagnostic"));
        Assert.True(problems.Count == 0, "the diagnostics table of docs/language.md is out of date:\n" + string.Join("\n", problems));
    }

    // ---------------------------------------------------------------------------------------------
    // The checks themselves catch mistakes (each assertion above can fail).
    // ---------------------------------------------------------------------------------------------

    [Fact]
    public void ABrokenExampleIsReportedAtItsLine()
    {
        const string markdown = "# Doc\n\ntext\n\n```mdl\nmodel M(B: batch) {\n    input x: f32[B, 4];\n    output y = linear(4)(z);\n}\n```\n";
        var block = Assert.Single(MarkdownCodeBlocks.Parse("docs/fake.md", markdown));
        Assert.Equal(5, block.Line);
        var problem = Assert.Single(DocBlockChecker.Check(block, RepositoryPaths.Get("docs")));
        Assert.Contains("docs/fake.md:8", problem, StringComparison.Ordinal);
        Assert.Contains("MC2001", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExampleWithoutAModelIsReported()
    {
        const string markdown = "```mdl\nblock unused = linear(1 / 0);\n```\n";
        var block = Assert.Single(MarkdownCodeBlocks.Parse("docs/fake.md", markdown));
        Assert.Contains(DocBlockChecker.Check(block, RepositoryPaths.Get("docs")), p => p.Contains("declares no model", StringComparison.Ordinal));
    }

    [Fact]
    public void AnErrorExampleMustProduceItsCode()
    {
        const string valid = "```mdl-error\n// error MC2001\nmodel M(B: batch) {\n    input x: f32[B, 4];\n    output y = x;\n}\n```\n";
        const string other = "```mdl-error\n// error MC2001\nmodel M(B: batch) {\n    input x: f32[B, 4];\n    output y = linear(0)(x);\n}\n```\n";
        const string warning = "```mdl-error\n// error MC3021\nblock f(x: tensor) {\n    return x;\n    return x;\n}\nmodel M(B: batch) {\n    input x: f32[B, 4];\n    output y = f(x);\n}\n```\n";
        const string unnamed = "```mdl-error\nmodel M(B: batch) {\n    input x: f32[B, 4];\n    output y = z;\n}\n```\n";
        const string right = "```mdl-error\n// warning MC3021\nblock f(x: tensor) {\n    return x;\n    return x;\n}\nmodel M(B: batch) {\n    input x: f32[B, 4];\n    output y = f(x);\n}\n```\n";
        List<string> Problems(string markdown) =>
            DocBlockChecker.Check(Assert.Single(MarkdownCodeBlocks.Parse("docs/fake.md", markdown)), RepositoryPaths.Get("docs"));
        Assert.Contains("no diagnostics at all", Assert.Single(Problems(valid)), StringComparison.Ordinal);
        Assert.Contains("MC3008", Assert.Single(Problems(other)), StringComparison.Ordinal);
        Assert.Contains("expected error MC3021", Assert.Single(Problems(warning)), StringComparison.Ordinal);
        Assert.Contains("must start with a comment", Assert.Single(Problems(unnamed)), StringComparison.Ordinal);
        Assert.Empty(Problems(right));
    }

    [Fact]
    public void AnUnclosedCodeBlockIsAnError()
    {
        var error = Assert.Throws<InvalidDataException>(() => MarkdownCodeBlocks.Parse("docs/fake.md", "text\n```mdl\nmodel M {}\n"));
        Assert.Contains("docs/fake.md:2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCodeTableParserFindsCodesAndSeverities()
    {
        var table = DocumentedCodes("| code | severity | meaning |\n|---|---|---|\n| MC1001 | error | x |\n| MC3021 | warning | y |\n");
        Assert.Equal(2, table.Count);
        Assert.Equal("error", table["MC1001"]);
        Assert.Equal("warning", table["MC3021"]);
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    /// <summary>docs/*.md and the README at the repository root (when it exists), as repository-relative paths.</summary>
    private static IEnumerable<string> DocumentedFiles()
    {
        var docs = Directory.GetFiles(RepositoryPaths.Get("docs"), "*.md")
            .Select(f => "docs/" + Path.GetFileName(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (File.Exists(RepositoryPaths.Get("README.md")))
        {
            docs.Add("README.md");
        }
        return docs;
    }

    private static string ReadDoc(string name) =>
        File.ReadAllText(RepositoryPaths.Get("docs", name)).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The identifiers written in code (inline code spans and fenced blocks) of a Markdown text.</summary>
    private static HashSet<string> CodeIdentifiers(string markdown)
    {
        var code = MarkdownCodeBlocks.Parse("doc", markdown).Select(b => b.Source)
            .Concat(InlineCode().Matches(markdown).Select(m => m.Groups[1].Value));
        return [.. code.SelectMany(c => Identifier().Matches(c).Select(m => m.Value))];
    }

    /// <summary>A standard-library block's signature as written: <c>mlp(widths: int[], act: block = relu)</c>.</summary>
    private static string Signature(SyntaxTree tree, BlockDeclarationSyntax block)
    {
        if (block.Parameters.IsEmpty)
        {
            return block.Name.Name;
        }
        var parameters = block.Parameters.Select(p => Whitespace().Replace(tree.Source.GetText(p.Span), " ").Trim());
        return $"{block.Name.Name}({string.Join(", ", parameters)})";
    }

    /// <summary>
    /// The codes the compiler can report, with their severities: every <c>Diagnostic.Error("MCxxxx", …)</c>
    /// and <c>Diagnostic.Warning("MCxxxx", …)</c> in the compiler's sources.
    /// </summary>
    private static Dictionary<string, HashSet<string>> CatalogCodes()
    {
        var codes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var sources = Directory.GetFiles(RepositoryPaths.Get("compiler", "ModelC.Compiler"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in sources)
        {
            foreach (Match match in CatalogEntry().Matches(File.ReadAllText(file)))
            {
                var severities = codes.TryGetValue(match.Groups[2].Value, out var known) ? known : codes[match.Groups[2].Value] = [];
                severities.Add(match.Groups[1].Value.ToLowerInvariant());
            }
        }
        return codes;
    }

    /// <summary>The rows <c>| MCxxxx | severity | meaning |</c> of a Markdown text.</summary>
    private static Dictionary<string, string> DocumentedCodes(string markdown) =>
        TableRow().Matches(markdown).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

    [GeneratedRegex(@"Diagnostic\.(Error|Warning)\(\s*""(MC\d{4})""")]
    private static partial Regex CatalogEntry();

    [GeneratedRegex(@"^\|\s*`?(MC\d{4})`?\s*\|\s*(error|warning)\s*\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z_0-9]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
