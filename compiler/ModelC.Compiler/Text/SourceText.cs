namespace ModelC.Compiler.Text;

/// <summary>
/// The text of one source file with its path and a line index, so that offsets can be turned
/// into line:column positions and source lines for diagnostics.
/// </summary>
public sealed class SourceText
{
    private readonly int[] _lineStarts;

    /// <summary>Creates a source text; <paramref name="path"/> is how diagnostics name the file.</summary>
    public SourceText(string path, string content)
    {
        Path = path;
        Content = content;
        _lineStarts = ComputeLineStarts(content);
    }

    /// <summary>The path diagnostics print for this file.</summary>
    public string Path { get; }

    /// <summary>The whole text.</summary>
    public string Content { get; }

    /// <summary>The number of lines (a final line without a newline counts).</summary>
    public int LineCount => _lineStarts.Length;

    /// <summary>Reads a file from disk; the path is kept as given for messages.</summary>
    public static SourceText FromFile(string path) => new(path, File.ReadAllText(path));

    /// <summary>The 1-based line and column of a character offset (clamped to the text).</summary>
    public LinePosition GetLinePosition(int offset)
    {
        offset = Math.Clamp(offset, 0, Content.Length);
        var index = Array.BinarySearch(_lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return new LinePosition(line + 1, offset - _lineStarts[line] + 1);
    }

    /// <summary>The text of a 1-based line, without its line break.</summary>
    public string GetLineText(int line) => GetText(GetLineSpan(line));

    /// <summary>The span of a 1-based line, without its line break.</summary>
    public TextSpan GetLineSpan(int line)
    {
        var start = _lineStarts[line - 1];
        var end = line < _lineStarts.Length ? _lineStarts[line] : Content.Length;
        while (end > start && Content[end - 1] is '\r' or '\n')
        {
            end--;
        }
        return TextSpan.FromBounds(start, end);
    }

    /// <summary>The characters a span covers.</summary>
    public string GetText(TextSpan span) =>
        Content.Substring(Math.Clamp(span.Start, 0, Content.Length),
            Math.Clamp(span.Length, 0, Content.Length - Math.Clamp(span.Start, 0, Content.Length)));

    private static int[] ComputeLineStarts(string content)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return [.. starts];
    }
}
