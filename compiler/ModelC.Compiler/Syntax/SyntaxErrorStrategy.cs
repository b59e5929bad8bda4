using Antlr4.Runtime;
using AntlrParser = Antlr4.Runtime.Parser;
using Antlr4.Runtime.Misc;
using ModelC.Compiler.Text;
using ModelC.Grammar;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// ANTLR's default recovery (single-token insertion and deletion, then resynchronisation), but
/// reporting our own diagnostics with readable expectations instead of ANTLR's messages.
/// </summary>
internal sealed class SyntaxErrorStrategy(SourceText source, List<Diagnostic> diagnostics) : DefaultErrorStrategy
{
    private static readonly int[] ExpressionStarters =
    [
        ModelCParser.IDENT, ModelCParser.INT, ModelCParser.FLOAT, ModelCParser.STRING, ModelCParser.TRUE,
        ModelCParser.FALSE, ModelCParser.LPAREN, ModelCParser.LBRACK, ModelCParser.MINUS, ModelCParser.BANG,
        ModelCParser.BRANCH, ModelCParser.ROUTE,
    ];

    // Operators that could continue a complete expression; listing them is noise.
    private static readonly int[] Operators =
    [
        ModelCParser.SEQ, ModelCParser.LE, ModelCParser.GE, ModelCParser.EQ, ModelCParser.NE, ModelCParser.AND,
        ModelCParser.OR, ModelCParser.LT, ModelCParser.GT, ModelCParser.PLUS, ModelCParser.MINUS, ModelCParser.STAR,
        ModelCParser.SLASH, ModelCParser.PERCENT, ModelCParser.AT, ModelCParser.QUESTION, ModelCParser.DOT,
    ];

    // After an operand, '(' (a call) and '[' (an index) continue it as the operators do.
    private static readonly int[] Postfix = [ModelCParser.LPAREN, ModelCParser.LBRACK];

    protected override void ReportNoViableAlternative(AntlrParser recognizer, NoViableAltException e) =>
        ReportUnexpected(e.OffendingToken, e.GetExpectedTokens());

    protected override void ReportInputMismatch(AntlrParser recognizer, InputMismatchException e) =>
        ReportUnexpected(e.OffendingToken, e.GetExpectedTokens());

    protected override void ReportFailedPredicate(AntlrParser recognizer, FailedPredicateException e) =>
        ReportUnexpected(e.OffendingToken, recognizer.GetExpectedTokens());

    protected override void ReportUnwantedToken(AntlrParser recognizer)
    {
        if (InErrorRecoveryMode(recognizer))
        {
            return;
        }
        BeginErrorCondition(recognizer);
        ReportUnexpected(recognizer.CurrentToken, GetExpectedTokens(recognizer));
    }

    protected override void ReportMissingToken(AntlrParser recognizer)
    {
        if (InErrorRecoveryMode(recognizer))
        {
            return;
        }
        BeginErrorCondition(recognizer);
        var previous = ((ITokenStream)recognizer.InputStream).LT(-1);
        var expected = Describe(GetExpectedTokens(recognizer));
        if (previous is null)
        {
            ReportUnexpected(recognizer.CurrentToken, GetExpectedTokens(recognizer));
            return;
        }
        // Point just past the previous token, where the missing one belongs.
        var at = new Location(source, new TextSpan(previous.StopIndex + 1, 0));
        diagnostics.Add(SyntaxDiagnostics.Missing(at, expected, Quote(previous)));
    }

    private void ReportUnexpected(IToken token, IntervalSet expected)
    {
        // At a decision point ANTLR may list the very token it stumbled on; expecting it is no help.
        if (expected.Contains(token.Type) && expected.Count > 1)
        {
            expected = expected.Subtract(IntervalSet.Of(token.Type));
        }
        var location = token.Type == TokenConstants.EOF
            ? new Location(source, new TextSpan(source.Content.Length, 0))
            : new Location(source, TextSpan.FromBounds(token.StartIndex, token.StopIndex + 1));
        diagnostics.Add(SyntaxDiagnostics.Unexpected(location, Quote(token), Describe(expected)));
    }

    private static string Quote(IToken token) =>
        token.Type == TokenConstants.EOF ? "end of file" : $"'{token.Text}'";

    private static readonly int[] TypeStarters = [ModelCParser.IDENT, ModelCParser.BLOCK, ModelCParser.OPTIMIZER];

    /// <summary>Turns an expected-token set into words: "';'", "a name or ')'", "an expression".</summary>
    internal static string Describe(IntervalSet expected)
    {
        var types = expected.ToList().ToHashSet();
        var parts = new List<string>();
        if (types.Contains(ModelCParser.IDENT) && types.Contains(ModelCParser.INT))
        {
            parts.Add("an expression");
            types.ExceptWith(ExpressionStarters);
        }
        else if (types.IsSupersetOf(TypeStarters))
        {
            // Type names are names plus the two keywords that double as types.
            parts.Add("a type");
            types.ExceptWith(TypeStarters);
        }
        if (types.Overlaps(Operators))
        {
            if (types.Except(Operators).Except(Postfix).Any())
            {
                types.ExceptWith(Operators);
                types.ExceptWith(Postfix);
            }
            else
            {
                parts.Add("an operator");
                types.Clear();
            }
        }
        parts.AddRange(types.Order().Select(DescribeToken));
        return parts.Count switch
        {
            0 => "nothing more",
            1 => parts[0],
            2 => $"{parts[0]} or {parts[1]}",
            _ => $"one of {string.Join(", ", parts)}",
        };
    }

    private static string DescribeToken(int type) => type switch
    {
        TokenConstants.EOF => "end of file",
        ModelCParser.IDENT => "a name",
        ModelCParser.INT => "an integer",
        ModelCParser.FLOAT => "a number",
        ModelCParser.STRING => "a string",
        _ => ModelCParser.DefaultVocabulary.GetLiteralName(type) ?? ModelCParser.DefaultVocabulary.GetDisplayName(type),
    };
}
