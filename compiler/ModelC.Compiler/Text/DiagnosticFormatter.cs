using System.Text;

namespace ModelC.Compiler.Text;

/// <summary>
/// Renders diagnostics for people: the <c>path:line:col</c> line, the source line, a caret
/// under the span, then the hint and notes.
/// </summary>
public static class DiagnosticFormatter
{
    /// <summary>Formats one diagnostic with its source excerpt.</summary>
    public static string Format(Diagnostic diagnostic)
    {
        var text = new StringBuilder();
        text.Append(diagnostic).Append('\n');
        AppendExcerpt(text, diagnostic.Location);
        if (diagnostic.Hint is { } hint)
        {
            text.Append("  hint: ").Append(hint).Append('\n');
        }
        foreach (var note in diagnostic.Notes)
        {
            text.Append("  note: ");
            if (note.Location is { } location)
            {
                text.Append(location).Append(": ");
            }
            text.Append(note.Message).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Formats one diagnostic as MSBuild's canonical error line, <c>path(line,col,endLine,endCol):
    /// error CODE: message (hint: …)</c>, which MSBuild reports as one error at that place, hint
    /// included (a line of its own would be a separate, low-importance message); the notes follow
    /// on their own lines.
    /// </summary>
    public static string FormatMsBuild(Diagnostic diagnostic)
    {
        var location = diagnostic.Location;
        var start = location.Start;
        var end = location.Source.GetLinePosition(location.Span.End);
        var text = new StringBuilder();
        text.Append(location.Source.Path)
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"({start.Line},{start.Column},{end.Line},{end.Column}): ")
            .Append(diagnostic.IsError ? "error " : "warning ").Append(diagnostic.Code).Append(": ").Append(diagnostic.Message)
            .Append(diagnostic.Hint is { } hint ? $" (hint: {hint})" : "").Append('\n');
        foreach (var note in diagnostic.Notes)
        {
            text.Append("  note: ").Append(note.Location is { } at ? $"{at}: " : "").Append(note.Message).Append('\n');
        }
        return text.ToString();
    }

    // Long lines (minified or generated sources) are shown as a window around the span, so
    // that each diagnostic costs the same whatever the line's length.
    private const int MaxExcerptWidth = 120;
    private const int ContextBeforeSpan = 40;

    private static void AppendExcerpt(StringBuilder text, Location location)
    {
        var source = location.Source;
        if (source.Content.Length == 0)
        {
            return;
        }
        var start = location.Start;
        var line = source.GetLineSpan(start.Line);
        var spanStart = Math.Clamp(location.Span.Start, line.Start, line.End);
        // Underline to the end of the span or of the line, whichever comes first.
        var spanEnd = Math.Clamp(location.Span.End, spanStart, line.End);
        var windowStart = line.Length <= MaxExcerptWidth ? line.Start : Math.Max(line.Start, spanStart - ContextBeforeSpan);
        var windowEnd = Math.Min(line.End, windowStart + MaxExcerptWidth);
        var prefix = windowStart > line.Start ? "…" : "";
        var suffix = windowEnd < line.End ? "…" : "";
        var shown = source.GetText(TextSpan.FromBounds(windowStart, windowEnd)).Replace('\t', ' ');
        var width = Math.Max(1, Math.Min(spanEnd, windowEnd) - spanStart);
        var gutter = start.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        text.Append(' ').Append(gutter).Append(" | ").Append(prefix).Append(shown).Append(suffix).Append('\n');
        text.Append(' ').Append(' ', gutter.Length).Append(" | ")
            .Append(' ', prefix.Length + spanStart - windowStart).Append('^').Append('~', width - 1).Append('\n');
    }
}
