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
        NameTokenRepair.Run(source, tokens, diagnostics);
        if (FindTooDeepBracket(tokens) is { } tooDeep)
        {
            // ANTLR's error recovery is quadratic in the nesting depth, so text nested beyond
            // what the tree builder accepts anyway is not parsed at all.
            diagnostics.Add(SyntaxDiagnostics.NestingTooDeep(
                new Location(source, TextSpan.FromBounds(tooDeep.StartIndex, tooDeep.StopIndex + 1)), SyntaxTreeBuilder.MaxNestingDepth));
            return Tree(source, new CompilationUnitSyntax([], [], new TextSpan(0, source.Content.Length)), diagnostics);
        }

        var parser = new ModelCParser(tokens) { ErrorHandler = new SyntaxErrorStrategy(source, diagnostics) };
        parser.RemoveErrorListeners();
        var tree = parser.compilationUnit();
        return Tree(source, new SyntaxTreeBuilder(source, tokens, diagnostics).Build(tree), diagnostics);
    }

    // The lexer sends characters it cannot use to a channel of their own (channel 3 in the
    // grammar) so the parser never sees them; each one is reported here.
    private static void ReportBadTokens(SourceText source, CommonTokenStream tokens, List<Diagnostic> diagnostics)
    {
        var all = tokens.GetTokens();
        for (var i = 0; i < all.Count; i++)
        {
            var token = all[i];
            var location = new Location(source, TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1));
            switch (token.Type)
            {
                case ModelCLexer.UNKNOWN_CHAR when IsSurrogatePair(all, i):
                    // A character outside the BMP arrives as two UTF-16 halves; report it once, whole.
                    var pair = token.Text + all[i + 1].Text;
                    diagnostics.Add(SyntaxDiagnostics.UnexpectedCharacter(
                        new Location(source, new TextSpan(token.StartIndex, 2)), $"'{pair}'"));
                    i++;
                    break;
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

    private static SyntaxTree Tree(SourceText source, CompilationUnitSyntax root, List<Diagnostic> diagnostics) =>
        new(source, root, [.. diagnostics.OrderBy(d => d.Location.Span.Start)]);

    // The first opening bracket that is nested more deeply than the tree builder's limit.
    private static IToken? FindTooDeepBracket(CommonTokenStream tokens)
    {
        var depth = 0;
        foreach (var token in tokens.GetTokens())
        {
            switch (token.Type)
            {
                case ModelCLexer.LPAREN or ModelCLexer.LBRACK or ModelCLexer.LBRACE:
                    if (++depth > SyntaxTreeBuilder.MaxNestingDepth)
                    {
                        return token;
                    }
                    break;
                case ModelCLexer.RPAREN or ModelCLexer.RBRACK or ModelCLexer.RBRACE:
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }
        return null;
    }

    private static bool IsSurrogatePair(IList<IToken> all, int i) =>
        i + 1 < all.Count && all[i + 1].Type == ModelCLexer.UNKNOWN_CHAR && all[i + 1].StartIndex == all[i].StopIndex + 1
        && char.IsHighSurrogate(all[i].Text[0]) && char.IsLowSurrogate(all[i + 1].Text[0]);

    // Control characters and lone surrogate halves have no printable form; show their code.
    private static string DescribeCharacter(string text) =>
        text.Length == 1 && (char.IsControl(text[0]) || char.IsSurrogate(text[0])) ? $"U+{(int)text[0]:X4}" : $"'{text}'";
}
