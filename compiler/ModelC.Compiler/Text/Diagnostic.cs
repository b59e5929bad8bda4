using System.Collections.Immutable;

namespace ModelC.Compiler.Text;

/// <summary>
/// A message about the program, as data: a stable code (<c>MC2001</c>), a severity, the text,
/// where it applies, an optional hint and notes that point at related places.
/// </summary>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    Location Location,
    string? Hint = null)
{
    /// <summary>Related places: the instantiation chain, the other declaration, …</summary>
    public ImmutableArray<DiagnosticNote> Notes { get; init; } = [];

    /// <summary>True for errors.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>An error.</summary>
    public static Diagnostic Error(string code, string message, Location location, string? hint = null) =>
        new(code, DiagnosticSeverity.Error, message, location, hint);

    /// <summary>A warning.</summary>
    public static Diagnostic Warning(string code, string message, Location location, string? hint = null) =>
        new(code, DiagnosticSeverity.Warning, message, location, hint);

    /// <summary>A copy with one more note.</summary>
    public Diagnostic WithNote(DiagnosticNote note) => this with { Notes = Notes.Add(note) };

    /// <summary>The one-line form: <c>path:line:col: error MC2001: message</c>.</summary>
    public override string ToString() =>
        $"{Location}: {(IsError ? "error" : "warning")} {Code}: {Message}";
}

/// <summary>A secondary message attached to a diagnostic, with its own place.</summary>
public sealed record DiagnosticNote(string Message, Location? Location);
