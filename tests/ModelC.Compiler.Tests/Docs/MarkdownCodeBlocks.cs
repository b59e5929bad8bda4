namespace ModelC.Compiler.Tests.Docs;

/// <summary>
/// A fenced code block of a Markdown file: the file (as reported), the 1-based line of its
/// opening fence, its language (the first word after the fence) and its text.
/// </summary>
internal sealed record CodeBlock(string File, int Line, string Language, string Source)
{
    /// <summary>The file and line, as failure messages show them.</summary>
    public string Where => $"{File}:{Line}";

    /// <summary>The line of the Markdown file that holds line <paramref name="blockLine"/> (1-based) of the block.</summary>
    public int MarkdownLine(int blockLine) => Line + blockLine;
}

/// <summary>Finds the fenced code blocks (<c>```lang</c> … <c>```</c>) of a Markdown text.</summary>
internal static class MarkdownCodeBlocks
{
    /// <summary>The code blocks in order. Throws <see cref="InvalidDataException"/> for a fence that is never closed.</summary>
    public static List<CodeBlock> Parse(string file, string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<CodeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            var indent = lines[i].Length - trimmed.Length;
            var fence = new string('`', trimmed.TakeWhile(c => c == '`').Count());
            var info = trimmed[fence.Length..].Trim();
            var language = info.Split(' ', 2)[0];
            var close = i + 1;
            while (close < lines.Length && !IsClosing(lines[close], fence))
            {
                close++;
            }
            if (close == lines.Length)
            {
                throw new InvalidDataException($"{file}:{i + 1}: the code block opened here is never closed");
            }
            var content = lines[(i + 1)..close].Select(l => Unindent(l, indent));
            blocks.Add(new CodeBlock(file, i + 1, language, string.Join("\n", content) + "\n"));
            i = close;
        }
        return blocks;
    }

    private static bool IsClosing(string line, string fence)
    {
        var trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == '`');
    }

    private static string Unindent(string line, int indent)
    {
        var spaces = line.TakeWhile(c => c == ' ').Count();
        return line[Math.Min(spaces, indent)..];
    }
}
