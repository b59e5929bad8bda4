using ModelC.Compiler.IR;

namespace ModelC.Onnx.Export;

/// <summary>
/// The ONNX value that stands for an IR node: its name and its shape, which may be smaller
/// than the node's — fewer leading axes or size-1 axes — where ONNX's numpy-style broadcasting
/// gives the node's shape back (a scalar constant, a bias not yet expanded). Elementwise
/// consumers take it as it is; the others ask the writer to expand it first.
/// </summary>
/// <param name="Name">The ONNX value's name.</param>
/// <param name="Dims">Its dimensions, right-aligned with the node's.</param>
internal sealed record ExportedValue(string Name, IReadOnlyList<Dim> Dims)
{
    /// <summary>Whether the value already has the shape of <paramref name="node"/>.</summary>
    public bool Covers(Node node) => Dims.SequenceEqual(node.Type.Shape.Dims);

    /// <summary>The shape of an elementwise result of several values, by numpy's broadcasting rule.</summary>
    public static IReadOnlyList<Dim> Broadcast(IEnumerable<ExportedValue> values)
    {
        var all = values.Select(v => v.Dims).ToList();
        var rank = all.Max(d => d.Count);
        var dims = new Dim[rank];
        for (var i = 1; i <= rank; i++)
        {
            var dim = Dim.Of(1);
            foreach (var d in all.Where(d => d.Count >= i && d[d.Count - i] != Dim.Of(1)))
            {
                dim = d[d.Count - i];
            }
            dims[rank - i] = dim;
        }
        return dims;
    }
}
