using System.Collections.Immutable;
using Antlr4.Runtime;
using ModelC.Compiler.Text;
using ModelC.Grammar;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// Runs the ANTLR lexer and parser over a source text and turns the parse tree into the
/// immutable syntax tree. Never throws for bad input: every problem becomes a diagnostic.
/// </summary>
public static class Parser
{
    /// <summary>The token channel of <c>///</c> documentation comments (see ModelC.g4).</summary>
    internal const int DocumentationChannel = 2;

    /// <summary>Parses one file (on a big stack: ANTLR recurses once per nesting level).</summary>
    public static SyntaxTree Parse(SourceText source) => LargeStack.Run(() => ParseOnThisThread(source));

    private static SyntaxTree ParseOnThisThread(SourceText source)
    {
        var diagnostics = new List<Diagnostic>();
        var lexer = new ModelCLexer(new AntlrInputStream(source.Content));
        lexer.RemoveErrorListeners();
        var tokens = new CommonTokenStream(lexer);
        tokens.Fill();
        ReportBadTokens(source, tokens, diagnostics);

        var parser = new ModelCParser(tokens) { ErrorHandler = new SyntaxErrorStrategy(source, diagnostics) };
        parser.RemoveErrorListeners();
        var tree = parser.compilationUnit();
        var root = new SyntaxTreeBuilder(source, tokens, diagnostics).Build(tree);
        var sorted = diagnostics.OrderBy(d => d.Location.Span.Start).ToImmutableArray();
        return new SyntaxTree(source, root, sorted);
    }

    // The lexer sends characters it cannot use to a channel of their own (channel 3 in the
    // grammar) so the parser never sees them; each one is reported here.
    private static void ReportBadTokens(SourceText source, CommonTokenStream tokens, List<Diagnostic> diagnostics)
    {
        foreach (var token in tokens.GetTokens())
        {
            var location = new Location(source, TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1));
            switch (token.Type)
            {
                case ModelCLexer.UNKNOWN_CHAR:
                    diagnostics.Add(SyntaxDiagnostics.UnexpectedCharacter(location, DescribeCharacter(token.Text)));
                    break;
                case ModelCLexer.UNTERMINATED_STRING:
                    diagnostics.Add(SyntaxDiagnostics.UnterminatedString(location));
                    break;
                case ModelCLexer.UNTERMINATED_COMMENT:
                    diagnostics.Add(SyntaxDiagnostics.UnterminatedComment(
                        new Location(source, new TextSpan(token.StartIndex, 2))));
                    break;
            }
        }
    }

    private static string DescribeCharacter(string text) =>
        text.Length == 1 && char.IsControl(text[0]) ? $"U+{(int)text[0]:X4}" : $"'{text}'";
}
