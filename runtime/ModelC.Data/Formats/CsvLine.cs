using System.Text;

namespace ModelC.Data.Formats;

/// <summary>
/// Splits one CSV line into cells (RFC 4180 quoting: a quoted cell may hold the separator, and
/// <c>""</c> stands for a quote). Quoted cells may not span lines: numeric data never needs it,
/// and refusing keeps every error's line number the file's.
/// </summary>
internal static class CsvLine
{
    /// <summary>
    /// The cells of <paramref name="line"/>; <paramref name="fail"/> makes the exception for a
    /// problem in a (1-based) column.
    /// </summary>
    public static List<string> Split(string line, char separator, Func<int, string, Exception> fail)
    {
        var cells = new List<string>();
        var pos = 0;
        while (true)
        {
            var column = cells.Count + 1;
            if (pos < line.Length && line[pos] == '"')
            {
                var text = new StringBuilder();
                pos++;
                while (true)
                {
                    if (pos >= line.Length)
                    {
                        throw fail(column, "unterminated quote (a quoted cell must end on its line)");
                    }
                    if (line[pos] == '"')
                    {
                        if (pos + 1 < line.Length && line[pos + 1] == '"')
                        {
                            text.Append('"');
                            pos += 2;
                            continue;
                        }
                        pos++;
                        break;
                    }
                    text.Append(line[pos++]);
                }
                if (pos < line.Length && line[pos] != separator)
                {
                    throw fail(column, "text after a closing quote");
                }
                cells.Add(text.ToString());
            }
            else
            {
                var end = line.IndexOf(separator, pos);
                if (end < 0)
                {
                    end = line.Length;
                }
                cells.Add(line[pos..end]);
                pos = end;
            }
            if (pos >= line.Length)
            {
                return cells;
            }
            pos++; // the separator
        }
    }
}
