using System.Globalization;

namespace ModelC.Data.Formats;

/// <summary>
/// Reads numeric CSV files: a header row of column names, then rows of numbers, all read as
/// float32. Blank lines are skipped. Errors give the line and column (both 1-based).
/// </summary>
public static class CsvFile
{
    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The path is not a regular file, the header is missing or bad, a row has the wrong
    /// number of cells, or a cell is not a number.</exception>
    public static CsvTable Read(string path, CsvOptions? options = null)
    {
        DataPath.RequireRegularFile(path);
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, options ?? CsvOptions.Default);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="DataFormatException">As for <see cref="Read(string, CsvOptions?)"/>.</exception>
    public static CsvTable Read(TextReader reader, string name, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= CsvOptions.Default;
        var lineNumber = 0;
        string? line;
        do
        {
            line = reader.ReadLine();
            lineNumber++;
        }
        while (line is not null && string.IsNullOrWhiteSpace(line));
        if (line is null)
        {
            throw new DataFormatException(name, "empty: no header row");
        }

        var headerLine = lineNumber;
        Exception Fail(int column, string problem) => new DataFormatException(name, $"line {headerLine}, column {column}: {problem}");
        var names = CsvLine.Split(line, options.Separator, Fail).Select(n => n.Trim()).ToList();
        // By name, so that checking for repeats stays linear in the number of columns.
        var columnOf = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
            {
                throw Fail(i + 1, "empty column name");
            }
            if (!columnOf.TryAdd(names[i], i))
            {
                throw Fail(i + 1, $"column name '{names[i]}' repeats column {columnOf[names[i]] + 1}");
            }
        }

        var values = new List<float>();
        var lines = new List<int>();
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var at = lineNumber;
            Exception CellFail(int column, string problem) =>
                new DataFormatException(name, $"line {at}, column {column} ({names[Math.Min(column, names.Count) - 1]}): {problem}");
            var cells = CsvLine.Split(line, options.Separator, CellFail);
            if (cells.Count != names.Count)
            {
                throw new DataFormatException(name, $"line {at}: {cells.Count} cells, the header has {names.Count} columns");
            }
            for (var c = 0; c < cells.Count; c++)
            {
                values.Add(ParseNumber(cells[c], options) ?? throw CellFail(c + 1,
                    cells[c].Trim().Length == 0 ? "empty cell" : $"'{cells[c].Trim()}' is not a number"));
            }
            lines.Add(at);
        }
        return new CsvTable(name, names, columnOf, [.. values], [.. lines]);
    }

    private static float? ParseNumber(string cell, CsvOptions options)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return options.EmptyCellsAreNaN ? float.NaN : null;
        }
        // The spellings numpy and pandas write, which .NET's parser does not all take.
        switch (text.ToLowerInvariant())
        {
            case "nan" or "-nan" or "+nan":
                return float.NaN;
            case "inf" or "+inf" or "infinity" or "+infinity":
                return float.PositiveInfinity;
            case "-inf" or "-infinity":
                return float.NegativeInfinity;
        }
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
