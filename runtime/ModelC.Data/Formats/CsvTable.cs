using System.Collections.ObjectModel;
using ModelC.Runtime.Data;

namespace ModelC.Data.Formats;

/// <summary>
/// A numeric CSV file as read by <see cref="CsvFile"/>: its column names and a float32 matrix
/// [rows, columns], with helpers that cut it into the arrays a training run takes.
/// </summary>
public sealed class CsvTable
{
    private readonly string _path;
    private readonly int[] _lines;
    private readonly Dictionary<string, int> _columnOf;

    internal CsvTable(string path, IReadOnlyList<string> columnNames, Dictionary<string, int> columnOf, float[] values, int[] lines)
    {
        _path = path;
        _lines = lines;
        _columnOf = columnOf;
        ColumnNames = columnNames;
        Values = DataArray.Of(values, lines.Length, columnNames.Count);
    }

    /// <summary>The names from the header row, in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Every cell: float32 [rows, columns].</summary>
    public DataArray Values { get; }

    /// <summary>The number of data rows.</summary>
    public int RowCount => _lines.Length;

    /// <summary>One column: float32 [rows].</summary>
    /// <exception cref="ArgumentException">No column has that name.</exception>
    public DataArray Column(string name) => DataArray.Of(Columns(name).Floats, RowCount);

    /// <summary>The named columns, in the order given: float32 [rows, names].</summary>
    /// <exception cref="ArgumentException">No column has one of the names.</exception>
    public DataArray Columns(params string[] names)
    {
        var indices = names.Select(IndexOf).ToArray();
        var source = Values.Floats;
        var cols = ColumnNames.Count;
        var result = new float[RowCount * indices.Length];
        for (var r = 0; r < RowCount; r++)
        {
            for (var c = 0; c < indices.Length; c++)
            {
                result[r * indices.Length + c] = source[r * cols + indices[c]];
            }
        }
        return DataArray.Of(result, RowCount, indices.Length);
    }

    /// <summary>
    /// A column of class labels: int32 [rows].
    /// </summary>
    /// <exception cref="ArgumentException">No column has that name.</exception>
    /// <exception cref="DataFormatException">A value is not an integer (e.g. 1.5 or NaN).</exception>
    public DataArray Labels(string name)
    {
        var column = Column(name).Floats;
        var labels = new int[column.Length];
        for (var r = 0; r < column.Length; r++)
        {
            var v = column[r];
            // Floats represent every integer up to 2^24 exactly, far past any class count.
            if (!float.IsFinite(v) || v != MathF.Round(v) || MathF.Abs(v) > 1 << 24)
            {
                throw new DataFormatException(_path, $"line {_lines[r]}, column {IndexOf(name) + 1} ({name}): {v} is not an integer label");
            }
            labels[r] = (int)v;
        }
        return DataArray.Of(labels, labels.Length);
    }

    /// <summary>
    /// Splits the table for supervised training: every column but <paramref name="labelColumn"/>
    /// as float32 [rows, columns - 1], and that column as int32 labels [rows].
    /// </summary>
    /// <exception cref="ArgumentException">No column has that name.</exception>
    /// <exception cref="DataFormatException">A label is not an integer.</exception>
    public (DataArray Features, DataArray Labels) SplitLabel(string labelColumn)
    {
        var labels = Labels(labelColumn);
        var features = Columns([.. ColumnNames.Where(n => n != labelColumn)]);
        return (features, labels);
    }

    /// <summary>Every column by name, float32 [rows] each, in file order.</summary>
    public IReadOnlyDictionary<string, DataArray> ToColumns()
    {
        var columns = new OrderedDictionary<string, DataArray>(StringComparer.Ordinal);
        foreach (var name in ColumnNames)
        {
            columns.Add(name, Column(name));
        }
        return new ReadOnlyDictionary<string, DataArray>(columns);
    }

    /// <summary>
    /// The arrays a model's inputs take: a column <c>name</c> is float32 [rows]; columns
    /// <c>name[0]</c>, <c>name[1]</c>, … <c>name[k−1]</c> together are one array <c>name</c>,
    /// float32 [rows, k] (the features of a sample), in index order whatever their file order.
    /// </summary>
    /// <exception cref="DataFormatException">The indices of a name are not 0 … k−1, or a name is both plain and indexed.</exception>
    public IReadOnlyDictionary<string, DataArray> ToArrays()
    {
        var groups = new OrderedDictionary<string, List<(int Index, string Column)>>(StringComparer.Ordinal);
        foreach (var column in ColumnNames)
        {
            var (name, index) = Indexed(column);
            if (!groups.TryGetValue(name, out var members))
            {
                groups.Add(name, members = []);
            }
            members.Add((index, column));
        }
        var arrays = new OrderedDictionary<string, DataArray>(StringComparer.Ordinal);
        foreach (var (name, members) in groups)
        {
            if (members is [(-1, _)])
            {
                arrays.Add(name, Column(name));
                continue;
            }
            var indices = members.Select(m => m.Index).Order().ToList();
            if (indices.Contains(-1) || !indices.SequenceEqual(Enumerable.Range(0, indices.Count)))
            {
                throw new DataFormatException(_path,
                    $"the columns of '{name}' ({string.Join(", ", members.Select(m => m.Column))}) must be {name}[0] … {name}[{members.Count - 1}], each once");
            }
            arrays.Add(name, DataArray.Of(Columns([.. members.OrderBy(m => m.Index).Select(m => m.Column)]).Floats, RowCount, members.Count));
        }
        return new ReadOnlyDictionary<string, DataArray>(arrays);
    }

    // "x[3]" → ("x", 3); any other name → (name, −1).
    private static (string Name, int Index) Indexed(string column)
    {
        var open = column.LastIndexOf('[');
        return open > 0 && column.EndsWith(']') && int.TryParse(column.AsSpan(open + 1, column.Length - open - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? (column[..open], index)
            : (column, -1);
    }

    private int IndexOf(string name)
    {
        if (_columnOf.TryGetValue(name, out var index))
        {
            return index;
        }
        throw new ArgumentException($"{_path} has no column '{name}' (its columns: {string.Join(", ", ColumnNames)})", nameof(name));
    }
}

