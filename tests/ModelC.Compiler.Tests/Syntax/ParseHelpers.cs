using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>Parsing shortcuts for the syntax tests.</summary>
internal static class ParseHelpers
{
    public const string Path = "test.mdl";

    /// <summary>Parses a text; whatever happens, the parser must not throw.</summary>
    public static SyntaxTree Parse(string text) => Parser.Parse(new SourceText(Path, text));

    /// <summary>Parses a text that must have no diagnostics.</summary>
    public static SyntaxTree ParseValid(string text)
    {
        var tree = Parse(text);
        Assert.True(tree.Diagnostics.IsEmpty, string.Join("\n", tree.Diagnostics.Select(d => d.ToString())));
        Assert.True(tree.IsValid);
        return tree;
    }

    /// <summary>The one declaration of a valid text.</summary>
    public static T Single<T>(string text)
        where T : DeclarationSyntax =>
        Assert.IsType<T>(Assert.Single(ParseValid(text).Root.Declarations));

    /// <summary>An expression, parsed as the value of a constant.</summary>
    public static ExpressionSyntax Expression(string text) => Single<ConstDeclarationSyntax>($"const e = {text};").Value;

    /// <summary>An expression as an S-expression (see <see cref="SyntaxShape"/>).</summary>
    public static string Sexp(string text) => SyntaxShape.Print(Expression(text));

    /// <summary>The statements of a dataflow block whose body is <paramref name="body"/>.</summary>
    public static string Statements(string body) =>
        SyntaxShape.Print(Single<BlockDeclarationSyntax>($"block b(x: tensor) {{ {body} }}").StatementBody);

    /// <summary>The diagnostics as <c>line:col CODE message</c>.</summary>
    public static string[] DiagnosticLines(string text) =>
        [.. Parse(text).Diagnostics.Select(d => $"{d.Location.Start} {d.Code} {d.Message}")];

    /// <summary>The source text a span covers.</summary>
    public static string Text(this SyntaxTree tree, TextSpan span) => tree.Source.GetText(span);
}
