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

    private static void AppendExcerpt(StringBuilder text, Location location)
    {
        var source = location.Source;
        if (source.Content.Length == 0)
        {
            return;
        }
        var start = location.Start;
        var line = source.GetLineText(start.Line);
        // Underline to the end of the span or of the line, whichever comes first.
        var lineEndOffset = location.Span.Start - (start.Column - 1) + line.Length;
        var width = Math.Max(1, Math.Min(location.Span.End, lineEndOffset) - location.Span.Start);
        var gutter = start.Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        text.Append(' ').Append(gutter).Append(" | ").Append(line.Replace('\t', ' ')).Append('\n');
        text.Append(' ').Append(' ', gutter.Length).Append(" | ")
            .Append(' ', start.Column - 1).Append('^').Append('~', width - 1).Append('\n');
    }
}
