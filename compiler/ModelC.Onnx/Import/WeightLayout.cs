using ModelC.Runtime.Data;

namespace ModelC.Onnx.Import;

/// <summary>ONNX's x·W weights (in, out) in the layout of the language's <c>linear</c> (out, in).</summary>
internal static class WeightLayout
{
    /// <summary>Columns [<paramref name="from"/>, <paramref name="to"/>) of an (in, out) matrix as a [to − from, in] weight.</summary>
    public static DataArray Linear(DataArray matrix, int from, int to)
    {
        var (rows, columns) = (matrix.Shape[0], matrix.Shape[1]);
        var source = (float[])matrix.Data;
        var width = Math.Max(0, to - from);
        var result = new float[width * rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < width; c++)
            {
                result[c * rows + r] = source[r * columns + from + c];
            }
        }
        return DataArray.Of(result, width, rows);
    }
}
