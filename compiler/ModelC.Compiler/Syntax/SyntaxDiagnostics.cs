using ModelC.Compiler.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>The diagnostics of the lexer and parser (codes MC1xxx).</summary>
public static class SyntaxDiagnostics
{
    /// <summary>MC1001: the parser found a token it cannot use here.</summary>
    public static Diagnostic Unexpected(Location location, string found, string expected) =>
        Diagnostic.Error("MC1001", $"unexpected {found}; expected {expected}", location);

    /// <summary>MC1001: a token is missing after the previous one.</summary>
    public static Diagnostic Missing(Location location, string expected, string after) =>
        Diagnostic.Error("MC1001", $"expected {expected} after {after}", location);

    /// <summary>MC1002: a character that starts no token.</summary>
    public static Diagnostic UnexpectedCharacter(Location location, string character) =>
        Diagnostic.Error("MC1002", $"unexpected character {character}", location);

    /// <summary>MC1003: a string literal without its closing quote.</summary>
    public static Diagnostic UnterminatedString(Location location) =>
        Diagnostic.Error("MC1003", "unterminated string literal", location, "a string ends with '\"' on the same line");

    /// <summary>MC1004: a <c>/*</c> comment without <c>*/</c>.</summary>
    public static Diagnostic UnterminatedComment(Location location) =>
        Diagnostic.Error("MC1004", "unterminated block comment", location, "close it with '*/'");

    /// <summary>MC1005: a number that does not fit its type.</summary>
    public static Diagnostic NumberOutOfRange(Location location, string text) =>
        Diagnostic.Error("MC1005", $"number literal {text} is out of range", location);

    /// <summary>MC1006: an escape sequence the language does not define.</summary>
    public static Diagnostic UnknownEscape(Location location, string escape) =>
        Diagnostic.Error("MC1006", $"unknown escape sequence '{escape}' in string literal", location,
            "the escapes are \\\" \\\\ \\n \\t and \\r");

    /// <summary>MC1007: nesting beyond what the compiler accepts.</summary>
    public static Diagnostic NestingTooDeep(Location location, int limit) =>
        Diagnostic.Error("MC1007", $"nesting is deeper than {limit} levels", location,
            "split the expression with 'let', or the statements into blocks");

    /// <summary>MC1008: a keyword written where a name is declared.</summary>
    public static Diagnostic KeywordAsName(Location location, string keyword) =>
        Diagnostic.Error("MC1008", $"'{keyword}' is a keyword and cannot be a name", location,
            $"choose another name, such as '{keyword}_'");

    /// <summary>MC1009: a name with letters outside ASCII.</summary>
    public static Diagnostic NonAsciiName(Location location, string name, char letter) =>
        Diagnostic.Error("MC1009", $"names are ASCII: '{name}' contains '{letter}'", location,
            "a name is ASCII letters, digits and '_'");
}
