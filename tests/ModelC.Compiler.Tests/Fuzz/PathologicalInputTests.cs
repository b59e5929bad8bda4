using ModelC.Compiler.Semantics;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>
/// Inputs at the edges: very deep, very long, empty, or not text at all. The compiler must
/// answer each with diagnostics (or a model), without an exception, a stack overflow or a hang.
/// </summary>
public sealed class PathologicalInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string> Inputs() => new()
    {
        { "empty file", "" },
        { "only whitespace", " \t\r\n\f\n\n" },
        { "only a BOM", "\ufeff" },
        { "a BOM before a valid model", "\ufeff" + SmallModel },
        { "only NULs", "\0\0\0\0" },
        { "NULs inside a model", SmallModel.Replace("relu", "re\0lu", StringComparison.Ordinal) },
        { "a lone high surrogate", "\ud800" },
        { "a lone low surrogate", "\udc00" },
        { "reversed surrogate pair", "\udc00\ud800" },
        { "lone surrogates in a name and a string", "const a\ud800 = \"\udfff\";" },
        { "a surrogate pair (emoji)", "const a = 1; // \ud83d\ude00\nconst \ud83d\ude00 = 2;" },
        { "U+FFFF and U+FFFE", "\uffff\ufffe" },
        { "only control characters", "\u0001\u0002\u0003\u001b\u007f" },
        { "10,000 nested parentheses", "const c = " + new string('(', 10_000) + "1" + new string(')', 10_000) + ";" },
        { "10,000 unclosed parentheses", "const c = " + new string('(', 10_000) + "1;" },
        { "10,000 unopened parentheses", "const c = 1" + new string(')', 10_000) + ";" },
        { "10,000 nested lists", "const c = " + new string('[', 10_000) + "1" + new string(']', 10_000) + ";" },
        { "10,000 nested calls", "const c = " + string.Concat(Enumerable.Repeat("max(", 10_000)) + "1" + new string(')', 10_000) + ";" },
        { "100,000-term sum", "const c = " + string.Join(" + ", Enumerable.Repeat("1", 100_000)) + ";" },
        { "100,000-stage sequence", SmallModel.Replace("relu", string.Join(" >> ", Enumerable.Repeat("relu", 100_000)), StringComparison.Ordinal) },
        { "5,000 nested conditionals", "const c = " + string.Concat(Enumerable.Repeat("true ? 1 : ", 5_000)) + "0;" },
        { "5,000-deep negation", "const x = 1;\nconst c = " + string.Concat(Enumerable.Repeat("- ", 5_000)) + "x;" },
        { "5,000-deep negation without spaces", "const c = " + new string('-', 5_000) + "1;" },
        { "5,000-deep not", "const c = " + new string('!', 5_000) + "true;" },
        { "10,000-long member chain", "const c = x" + string.Concat(Enumerable.Repeat(".shape", 10_000)) + ";" },
        { "10,000-long index chain", "const c = [1]" + string.Concat(Enumerable.Repeat("[0]", 10_000)) + ";" },
        { "deep expression inside a model", SmallModel.Replace("relu(x)", new string('(', 3_000) + "relu(x)" + new string(')', 3_000), StringComparison.Ordinal) },
        { "2,000 nested if statements", "block b(x: tensor) {\n" + string.Concat(Enumerable.Repeat("if true {\n", 2_000)) + "return x;\n" + new string('}', 2_000) + "\n}" },
        { "2,000 else-if arms", "block b(x: tensor, n: int = 3) {\n" + string.Concat(Enumerable.Range(0, 2_000).Select(i => $"if n == {i} {{ return x; }} else ")) + "{ return x; }\n}\n" + SmallModel.Replace("relu(x)", "b(x)", StringComparison.Ordinal) },
        { "10,000 unclosed braces", "block b(x: tensor) " + new string('{', 10_000) },
        { "10,000 let statements", "block b(x: tensor) {\n" + string.Concat(Enumerable.Repeat("let x = relu(x);\n", 10_000)) + "return x;\n}\n" + SmallModel.Replace("relu(x)", "b(x)", StringComparison.Ordinal) },
        { "5,000 declarations", string.Concat(Enumerable.Range(0, 5_000).Select(i => $"const c{i} = {i};\n")) },
        { "5,000 duplicate declarations", string.Concat(Enumerable.Repeat("const c = 1;\n", 5_000)) },
        { "a chain of 5,000 constants", "const c0 = 1;\n" + string.Concat(Enumerable.Range(1, 5_000).Select(i => $"const c{i} = c{i - 1} + 1;\n")) },
        { "a cycle of 1,000 constants", string.Concat(Enumerable.Range(0, 1_000).Select(i => $"const c{i} = c{(i + 1) % 1_000};\n")) + SmallModel.Replace("relu(x)", "linear(c0)(x)", StringComparison.Ordinal) },
        { "unbounded block recursion", "block r(x: tensor) { return r(x); }\n" + SmallModel.Replace("relu(x)", "r(x)", StringComparison.Ordinal) },
        { "unbounded point-free recursion", "block r = relu >> r;\n" + SmallModel.Replace("relu(x)", "r(x)", StringComparison.Ordinal) },
        { "a huge integer", "const c = 123456789012345678901234567890123456789012345678901234567890;" },
        { "a 100,000-digit integer", "const c = " + new string('9', 100_000) + ";" },
        { "a 100,000-digit float", "const c = 1." + new string('5', 100_000) + ";" },
        { "a huge exponent", "const c = 1e99999999999999999999;" },
        { "a tiny float", "const c = 1e-99999;" },
        { "huge integers in a model", SmallModel.Replace("784", "99999999999999999999", StringComparison.Ordinal) },
        { "int64 limits in a model", SmallModel.Replace("784", "9223372036854775807", StringComparison.Ordinal) },
        { "int32 overflow in a model", SmallModel.Replace("784", "2147483648", StringComparison.Ordinal) },
        { "int32 max in a model", SmallModel.Replace("784", "2147483647", StringComparison.Ordinal) },
        { "a 100,000-character identifier", "const " + new string('a', 100_000) + " = 1;\nconst b = " + new string('a', 100_000) + " + " + new string('a', 99_999) + ";" },
        { "a 100,000-character model name", SmallModel.Replace("model M", "model M" + new string('m', 100_000), StringComparison.Ordinal) },
        { "a 100,000-character string", "const s = \"" + new string('s', 100_000) + "\";" },
        { "a 100,000-character unterminated string", "const s = \"" + new string('s', 100_000) },
        { "100,000 escapes", "const s = \"" + string.Concat(Enumerable.Repeat("\\q", 50_000)) + "\";" },
        { "a 1,000,000-character line of spaces", new string(' ', 1_000_000) + "const c = 1;" },
        { "100,000 empty lines", new string('\n', 100_000) + "const c = ;" },
        { "100,000 stray characters", new string('$', 100_000) },
        { "100,000 semicolons", new string(';', 100_000) },
        { "an unterminated comment", "/* " + new string('*', 10_000) },
        { "a comment of stars", "/" + new string('*', 10_001) + "/ const c = 1;" },
        { "10,000 documentation lines", string.Concat(Enumerable.Repeat("/// doc\n", 10_000)) + "const c = 1;" },
        { "CR-only line endings", SmallModel.Replace("\n", "\r", StringComparison.Ordinal) + "\rconst c = ;" },
        { "a path import with a NUL", "import \"a\0b.mdl\";" },
        { "a path import of a folder", "import \".\";\nimport \"..\";\nimport \"/\";" },
        { "an empty path import", "import \"\";" },
        { "a path import of itself", "import \"test.mdl\";" },
        { "std import with many parts", "import std.nn.x.y.z;\nimport std;\nimport a.b;" },
        { "a list of 100,000 elements", "const c = [" + string.Join(", ", Enumerable.Repeat("1", 100_000)) + "];" },
        { "a call with 10,000 arguments", SmallModel.Replace("relu(x)", "relu(" + string.Join(", ", Enumerable.Repeat("x", 10_000)) + ")", StringComparison.Ordinal) },
        { "a call with 10,000 named arguments", SmallModel.Replace("relu(x)", "linear(" + string.Join(", ", Enumerable.Range(0, 10_000).Select(i => $"a{i} = 1")) + ")(x)", StringComparison.Ordinal) },
        { "a branch with 10,000 arms", SmallModel.Replace("relu(x)", "(branch clone(10000) [" + string.Join(", ", Enumerable.Repeat("relu", 10_000)) + "] merge add)(x)", StringComparison.Ordinal) },
        { "an input of rank 10,000", SmallModel.Replace("f32[B, 784]", "f32[B, " + string.Join(", ", Enumerable.Repeat("1", 10_000)) + "]", StringComparison.Ordinal) },
    };

    private const string SmallModel = "model M(B: batch) {\n    input x: f32[B, 784];\n    output y = relu(x);\n}\n";

    [Theory]
    [MemberData(nameof(Inputs))]
    public void IsAnsweredWithoutAnException(string name, string source)
    {
        var path = RepositoryPaths.Get("test.mdl");
        var (_, failure) = FrontEndRunner.RunGuarded(path, source, CompilerDriver.Options, Timeout);
        Assert.True(failure is null, $"{name}: {failure}");
    }

    [Fact]
    public void AnEmptyFileHasNoDiagnosticsAndNoModels()
    {
        var compilation = Compilation.FromSource(RepositoryPaths.Get("test.mdl"), "", CompilerDriver.Options);
        Assert.Empty(compilation.Diagnostics);
        Assert.Empty(compilation.Models);
        Assert.Empty(compilation.Root.Tree.Root.Declarations);
    }

    [Fact]
    public void DeepNestingIsReportedNotOverflowed()
    {
        var tree = Parse("const c = " + new string('(', 10_000) + "1" + new string(')', 10_000) + ";");
        var diagnostic = Assert.Single(tree.Diagnostics);
        Assert.Equal("MC1007", diagnostic.Code);
        Assert.Equal($"nesting is deeper than {SyntaxTreeBuilder.MaxNestingDepth} levels", diagnostic.Message);
    }

    [Fact]
    public void ALongSumIsReportedAsTooDeep()
    {
        // `1 + 1 + …` nests to the left, one level per term.
        var tree = Parse("const c = " + string.Join(" + ", Enumerable.Repeat("1", 100_000)) + ";");
        Assert.Equal(["MC1007"], tree.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void AThousandTermSequenceIsOneLevelAndCompiles()
    {
        // `a >> b >> …` is a chain, not nesting: its length is not limited by the nesting depth.
        var model = CompilerDriver.Elaborate(SmallModel.Replace("relu", "(" + string.Join(" >> ", Enumerable.Repeat("relu", 1_000)) + ")", StringComparison.Ordinal));
        Assert.Equal(1_000, model.Graph.Nodes.Count(n => n.Op is ModelC.Compiler.IR.Ops.BinaryOp { Kind: ModelC.Compiler.IR.Ops.BinaryKind.Max }));
    }

    [Fact]
    public void NestingUpToTheLimitIsAccepted()
    {
        // n parentheses around a literal are n + 1 expression levels.
        var limit = SyntaxTreeBuilder.MaxNestingDepth;
        Assert.Empty(Parse("const c = " + new string('(', limit - 1) + "1" + new string(')', limit - 1) + ";").Diagnostics);
        Assert.Equal(["MC1007"], Parse("const c = " + new string('(', limit) + "1" + new string(')', limit) + ";").Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void DeepNegationIsReportedAsTooDeep()
    {
        var tree = Parse("const c = " + string.Concat(Enumerable.Repeat("- ", 5_000)) + "1;");
        Assert.Equal(["MC1007"], tree.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void NulsAreReportedOneByOne()
    {
        var tree = Parse("\0\0\0");
        Assert.Equal(3, tree.Diagnostics.Length);
        Assert.All(tree.Diagnostics, d => Assert.Equal("MC1002 unexpected character U+0000", $"{d.Code} {d.Message}"));
        Assert.Equal([1, 2, 3], tree.Diagnostics.Select(d => d.Location.Start.Column));
    }

    [Fact]
    public void AHugeIntegerIsOutOfRange()
    {
        var tree = Parse("const c = 123456789012345678901234567890;");
        var diagnostic = Assert.Single(tree.Diagnostics);
        Assert.Equal("MC1005", diagnostic.Code);
        Assert.Equal("number literal 123456789012345678901234567890 is out of range", diagnostic.Message);
        Assert.Equal(new LinePosition(1, 11), diagnostic.Location.Start);
    }

    [Fact]
    public void TheLargestLongIsAnIntegerAndOneMoreIsOutOfRange()
    {
        Assert.Empty(Parse("const c = 9223372036854775807;").Diagnostics);
        Assert.Equal(["MC1005"], Parse("const c = 9223372036854775808;").Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void AVeryLongIdentifierKeepsItsName()
    {
        var name = new string('a', 100_000);
        var tree = Parse($"const {name} = 1;");
        Assert.Empty(tree.Diagnostics);
        Assert.Equal(name, Assert.Single(tree.Root.Declarations).Name.Name);
    }

    [Fact]
    public void DiagnosticsOnAVeryLongLineFormat()
    {
        var source = new string(' ', 100_000) + "const c = ;";
        var diagnostic = Assert.Single(Parse(source).Diagnostics);
        var text = DiagnosticFormatter.Format(diagnostic);
        Assert.StartsWith("test.mdl:1:100011: error MC1001: unexpected ';'; expected an expression\n", text, StringComparison.Ordinal);
    }

    private static SyntaxTree Parse(string text) => Parser.Parse(new SourceText("test.mdl", text));
}
