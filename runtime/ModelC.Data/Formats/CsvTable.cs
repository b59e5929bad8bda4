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

    internal CsvTable(string path, IReadOnlyList<string> columnNames, float[] values, int[] lines)
    {
        _path = path;
        _lines = lines;
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

    private int IndexOf(string name)
    {
        for (var i = 0; i < ColumnNames.Count; i++)
        {
            if (ColumnNames[i] == name)
            {
                return i;
            }
        }
        throw new ArgumentException($"{_path} has no column '{name}' (its columns: {string.Join(", ", ColumnNames)})", nameof(name));
    }
}

