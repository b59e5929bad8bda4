using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;
using static ModelC.Compiler.Tests.Syntax.ParseHelpers;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>
/// Syntax errors: each is reported once, at the right place, with a readable expectation
/// (<c>unexpected X; expected Y</c> or <c>expected Y after X</c>), and the parser recovers to
/// find the next ones. Nothing ever throws.
/// </summary>
public sealed class SyntaxErrorTests
{
    [Fact]
    public void SeveralErrorsInOneFileAreEachReported()
    {
        var source =
            "block a = relu\n" +
            "block b = ;\n" +
            "model M { input x f32[B]; output y = (x; }\n" +
            "const c = 1 +;\n" +
            "const ok = 2;\n";
        Assert.Equal(
            [
                "1:15 MC1001 expected ';' after 'relu'",
                "2:11 MC1001 unexpected ';'; expected an expression",
                "3:18 MC1001 expected ':' after 'x'",
                "3:40 MC1001 expected ')' after 'x'",
                "4:14 MC1001 unexpected ';'; expected an expression",
            ],
            DiagnosticLines(source));
        // Recovery keeps the declarations, including the valid one after the errors.
        Assert.Equal(["a", "b", "M", "c", "ok"], Parse(source).Root.Declarations.Select(d => d.Name.Name));
    }

    [Fact]
    public void LexicalAndSyntaxErrorsTogetherAreSortedByPosition()
    {
        var source =
            "const a = \"x\\qy\";\n" +
            "const b = \"unterminated\n" +
            "const c = 1 $ 2;\n" +
            "const d = 99999999999999999999;\n" +
            "/* open";
        Assert.Equal(
            [
                "1:13 MC1006 unknown escape sequence '\\q' in string literal",
                "2:11 MC1003 unterminated string literal",
                "3:1 MC1001 unexpected 'const'; expected an expression",
                "3:9 MC1001 unexpected '='; expected ';'",
                "3:13 MC1002 unexpected character '$'",
                "4:11 MC1005 number literal 99999999999999999999 is out of range",
                "5:1 MC1004 unterminated block comment",
            ],
            DiagnosticLines(source));
        var tree = Parse(source);
        Assert.Equal("a string ends with '\"' on the same line", tree.Diagnostics.Single(d => d.Code == "MC1003").Hint);
        Assert.Equal("close it with '*/'", tree.Diagnostics.Single(d => d.Code == "MC1004").Hint);
        // The unterminated comment is underlined at its opening `/*` only.
        Assert.Equal(2, tree.Diagnostics.Single(d => d.Code == "MC1004").Location.Span.Length);
    }

    [Theory]
    [InlineData("model M {", "1:10 MC1001 unexpected end of file; expected one of 'let', 'return', 'if', 'input', 'output', 'loss', 'optimizer', 'assert', '}'")]
    [InlineData("model M { input x: f32[B, 3]; output y = x }", "1:43 MC1001 expected ';' after 'x'")]
    [InlineData("const = 3;", "1:6 MC1001 expected a name after 'const'")]
    [InlineData("import std.nn", "1:14 MC1001 expected ';' after 'nn'")]
    [InlineData("import 3;", "1:8 MC1001 unexpected '3'; expected a name or a string")]
    [InlineData("block f(x: tensor { return x; }", "1:18 MC1001 expected ')' after 'tensor'")]
    [InlineData("model M(a int) { }", "1:10 MC1001 expected ':' after 'a'")]
    [InlineData("const a = f(1,,2);", "1:15 MC1001 unexpected ','; expected ')'")]
    [InlineData("const a = [1 2];", "1:14 MC1001 unexpected '2'; expected ',' or ']'")]
    [InlineData("const a = 1; }", "1:14 MC1001 unexpected '}'; expected one of end of file, 'import', 'block', 'model', 'const'")]
    [InlineData("let x = 1;", "1:1 MC1001 unexpected 'let'; expected one of end of file, 'import', 'block', 'model', 'const'")]
    [InlineData("block b = branch clone(2) [a, b] add;", "1:33 MC1001 expected 'merge' after ']'")]
    [InlineData("block b = route x [a, b] y;", "1:21 MC1001 unexpected ','; expected ']'")]
    [InlineData("const c = 1 +;", "1:14 MC1001 unexpected ';'; expected an expression")]
    [InlineData("const c = \"\\q\";", "1:12 MC1006 unknown escape sequence '\\q' in string literal")]
    [InlineData("const c = 1;\n\t#", "2:2 MC1002 unexpected character '#'")]
    [InlineData("const c = 1;\u0007", "1:13 MC1002 unexpected character U+0007")]
    [InlineData("const c = 1; /* a * b", "1:14 MC1004 unterminated block comment")]
    public void OneErrorWithItsExactMessage(string source, string expected) => Assert.Equal([expected], DiagnosticLines(source));

    [Fact]
    public void TheMissingTokenIsPlacedJustAfterThePreviousOne()
    {
        var tree = Parse("block a = relu\n\n\nblock b = relu;");
        var diagnostic = Assert.Single(tree.Diagnostics);
        Assert.Equal(new TextSpan(14, 0), diagnostic.Location.Span);
        Assert.Equal(new LinePosition(1, 15), diagnostic.Location.Start);
    }

    [Fact]
    public void DiagnosticsFormatWithAnExcerptAndACaret()
    {
        var tree = Parse("const a = 1;\nconst b = 1 $ 2;\n");
        var text = DiagnosticFormatter.Format(tree.Diagnostics.Single(d => d.Code == "MC1002"));
        Assert.Equal(
            "test.mdl:2:13: error MC1002: unexpected character '$'\n" +
            " 2 | const b = 1 $ 2;\n" +
            "   |             ^\n",
            text);
    }

    [Fact]
    public void AnErrorUnderlinesTheWholeToken()
    {
        var tree = Parse("const a = f(1 2345);");
        var text = DiagnosticFormatter.Format(Assert.Single(tree.Diagnostics));
        Assert.EndsWith(" 1 | const a = f(1 2345);\n   |               ^~~~\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecoveredTreesUseMissingExpressions()
    {
        var tree = Parse("const a = ;\nblock b = relu >> ;\nmodel M { output y = ; }");
        Assert.Equal(3, tree.Diagnostics.Length);
        Assert.False(tree.IsValid);
        Assert.IsType<MissingExpressionSyntax>(Assert.IsType<ConstDeclarationSyntax>(tree.Root.Declarations[0]).Value);
    }

    [Fact]
    public void EveryTruncationOfEveryExampleParsesWithoutThrowing()
    {
        // Cut each example and stdlib file after every token: the parser must report, never throw.
        var files = Directory.GetFiles(RepositoryPaths.Get("examples"), "*.mdl", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(RepositoryPaths.Get("stdlib"), "*.mdl"));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var ends = Fuzz.FuzzCorpus.Lex(text).Where(t => t.Channel == 0).Select(t => t.StopIndex + 1).ToList();
            foreach (var end in ends.SkipLast(1))
            {
                var tree = Parse(text[..end]);
                foreach (var diagnostic in tree.Diagnostics)
                {
                    Assert.True(diagnostic.Location.Span.End <= end, $"{file} cut at {end}: {diagnostic}");
                    _ = DiagnosticFormatter.Format(diagnostic);
                }
            }
        }
    }

    [Theory]
    [InlineData("model")]
    [InlineData("block")]
    [InlineData("import")]
    [InlineData("const")]
    [InlineData("}")]
    [InlineData(")))")]
    [InlineData("]]]")]
    [InlineData("{{{")]
    [InlineData(";;;")]
    [InlineData("block b = branch")]
    [InlineData("block b = route")]
    [InlineData("block b = branch a [")]
    [InlineData("block b = route a [ b")]
    [InlineData("model M { if")]
    [InlineData("model M { if x {")]
    [InlineData("model M { if x { } else")]
    [InlineData("model M { input x: f32[")]
    [InlineData("block b(x: tensor, = relu;")]
    [InlineData("block b(: int) = relu;")]
    [InlineData("block b(x: ) = relu;")]
    [InlineData("block b(x: f32[1,2,]) = relu;")]
    [InlineData("const a = f(n = );")]
    [InlineData("const a = f(= 1);")]
    [InlineData("const a = x.;")]
    [InlineData("const a = x.1;")]
    [InlineData("const a = x[];")]
    [InlineData("const a = a ? b;")]
    [InlineData("const a = a ? : b;")]
    [InlineData("const a = >> b;")]
    [InlineData("const a = \"")]
    [InlineData("/* /* */ */")]
    [InlineData("import \"unterminated;")]
    public void BrokenInputIsReportedNotThrown(string source)
    {
        var tree = Parse(source);
        Assert.False(tree.IsValid, source);
        Assert.All(tree.Diagnostics, d =>
        {
            Assert.StartsWith("MC1", d.Code, StringComparison.Ordinal);
            Assert.InRange(d.Location.Span.Start, 0, source.Length);
            Assert.InRange(d.Location.Span.End, 0, source.Length);
            _ = DiagnosticFormatter.Format(d);
        });
    }
}
