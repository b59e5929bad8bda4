using Antlr4.Runtime;
using ModelC.Compiler.Text;
using ModelC.Grammar;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// Before parsing, finds the two kinds of name the parser would otherwise stumble over again and
/// again — a keyword written where a name is declared (<c>input input: …</c>) and a name with
/// non-ASCII letters — reports each once, and hands the parser an ordinary name token so that
/// one mistake costs one diagnostic.
/// </summary>
internal static class NameTokenRepair
{
    // Tokens after which the next word is a name being declared.
    private static readonly HashSet<int> Declarers =
    [
        ModelCLexer.INPUT, ModelCLexer.OUTPUT, ModelCLexer.LET, ModelCLexer.CONST, ModelCLexer.BLOCK, ModelCLexer.MODEL,
    ];

    // Tokens after which a keyword is used as one: a statement or declaration start, `} else`,
    // `] merge`, and a type after ':'.
    private static readonly HashSet<int> KeywordPositions =
    [
        ModelCLexer.SEMI, ModelCLexer.LBRACE, ModelCLexer.RBRACE, ModelCLexer.RBRACK, ModelCLexer.COLON,
    ];

    public static void Run(SourceText source, CommonTokenStream tokens, List<Diagnostic> diagnostics)
    {
        var visible = tokens.GetTokens().Where(t => t.Channel == TokenConstants.DefaultChannel).ToList();
        ReportNonAsciiNames(source, visible, diagnostics);
        RetypeKeywordNames(source, visible, diagnostics);
    }

    private static void ReportNonAsciiNames(SourceText source, List<IToken> visible, List<Diagnostic> diagnostics)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in visible.Where(t => t.Type == ModelCLexer.IDENT))
        {
            var letter = token.Text.FirstOrDefault(c => !char.IsAscii(c));
            if (letter != default && reported.Add(token.Text))
            {
                diagnostics.Add(SyntaxDiagnostics.NonAsciiName(LocationOf(source, token), token.Text, letter));
            }
        }
    }

    // A keyword declared as a name is reported there once; it and its later uses as a name
    // (anywhere but where the keyword itself belongs) become names for the parser.
    private static void RetypeKeywordNames(SourceText source, List<IToken> visible, List<Diagnostic> diagnostics)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < visible.Count; i++)
        {
            var token = visible[i];
            if (!IsKeyword(token))
            {
                continue;
            }
            var previous = visible[i - 1].Type;
            if (Declarers.Contains(previous) || IsParameter(visible, i))
            {
                if (declared.Add(token.Text))
                {
                    diagnostics.Add(SyntaxDiagnostics.KeywordAsName(LocationOf(source, token), token.Text));
                }
                ((CommonToken)token).Type = ModelCLexer.IDENT;
            }
            else if (declared.Contains(token.Text) && !KeywordPositions.Contains(previous))
            {
                ((CommonToken)token).Type = ModelCLexer.IDENT;
            }
        }
    }

    // `(input: int` or `, input: int` in a parameter list — not `x[a, true:b]`, a slice in an index.
    private static bool IsParameter(List<IToken> visible, int i) =>
        visible[i - 1].Type is ModelCLexer.LPAREN or ModelCLexer.COMMA
        && i + 1 < visible.Count && visible[i + 1].Type == ModelCLexer.COLON
        && InnermostOpener(visible, i) == ModelCLexer.LPAREN;

    // The bracket that encloses token i: the nearest opening one before it left unclosed.
    private static int? InnermostOpener(List<IToken> visible, int i)
    {
        var depth = 0;
        for (var j = i - 1; j >= 0; j--)
        {
            switch (visible[j].Type)
            {
                case ModelCLexer.RPAREN or ModelCLexer.RBRACK or ModelCLexer.RBRACE:
                    depth++;
                    break;
                case ModelCLexer.LPAREN or ModelCLexer.LBRACK or ModelCLexer.LBRACE when depth == 0:
                    return visible[j].Type;
                case ModelCLexer.LPAREN or ModelCLexer.LBRACK or ModelCLexer.LBRACE:
                    depth--;
                    break;
            }
        }
        return null;
    }

    private static bool IsKeyword(IToken token) =>
        token.Type != ModelCLexer.IDENT && SyntaxFacts.IsKeyword(token.Text);

    private static Location LocationOf(SourceText source, IToken token) =>
        new(source, TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1));
}
