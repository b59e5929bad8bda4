using System.Collections.Frozen;
using ModelC.Grammar;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// What the grammar (grammar/ModelC.g4) says about tokens and operators, for code that writes
/// source: how operators are spelt, how tightly they bind, which words are keywords.
/// </summary>
public static class SyntaxFacts
{
    // The keywords are the lexer's alphabetic literal tokens, so a new keyword is known here
    // as soon as the grammar has it.
    private static readonly FrozenSet<string> Keywords = Enumerable.Range(1, ModelCLexer.UNKNOWN_CHAR)
        .Select(type => ModelCLexer.DefaultVocabulary.GetLiteralName(type))
        .OfType<string>()
        .Select(literal => literal.Trim('\''))
        .Where(word => word.Length > 0 && word.All(char.IsAsciiLetter))
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The operator as written: <c>+</c>, <c>&lt;=</c>, <c>&amp;&amp;</c>, …</summary>
    public static string Text(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        BinaryOperator.MatMul => "@",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.And => "&&",
        BinaryOperator.Or => "||",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary operator"),
    };

    /// <summary>The operator as written: <c>-</c> or <c>!</c>.</summary>
    public static string Text(UnaryOperator op) => op switch
    {
        UnaryOperator.Negate => "-",
        UnaryOperator.Not => "!",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown unary operator"),
    };

    /// <summary>How tightly an infix operator binds; all of them associate to the left.</summary>
    public static Precedence PrecedenceOf(BinaryOperator op) => op switch
    {
        BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo or BinaryOperator.MatMul => Precedence.Multiplicative,
        BinaryOperator.Add or BinaryOperator.Subtract => Precedence.Additive,
        BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual => Precedence.Relational,
        BinaryOperator.Equal or BinaryOperator.NotEqual => Precedence.Equality,
        BinaryOperator.And => Precedence.And,
        BinaryOperator.Or => Precedence.Or,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown binary operator"),
    };

    /// <summary>True for the reserved words (<c>block</c>, <c>let</c>, <c>true</c>, …), which cannot be names.</summary>
    public static bool IsKeyword(string word) => Keywords.Contains(word);

    /// <summary>True when <paramref name="name"/> can be written as a name: letters, digits and <c>_</c>, not a leading digit, not a keyword.</summary>
    public static bool IsIdentifier(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !IsKeyword(name);

    /// <summary>True when <paramref name="name"/> can name a type: an identifier, or one of the keywords <c>block</c> and <c>optimizer</c>.</summary>
    public static bool IsTypeName(string name) => IsIdentifier(name) || name is "block" or "optimizer";
}
