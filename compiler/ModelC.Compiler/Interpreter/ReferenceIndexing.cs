using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// <see cref="GatherOp"/> and its adjoint <see cref="ScatterAddOp"/>. Both clamp indices into
/// <c>[0, rows − 1]</c>: gather's doc says so, and scatter_add must use the same rows as the
/// gather it differentiates, or the pair would stop being adjoint.
/// </summary>
internal static class ReferenceIndexing
{
    /// <summary><c>out[a…, i…, b…] = table[a…, clamp(indices[i…]), b…]</c>, the indexed axis being <paramref name="axis"/>.</summary>
    public static HostTensor Gather(int axis, HostTensor table, HostTensor indices)
    {
        var rows = table.Shape[axis];
        var outShape = table.Shape.Take(axis).Concat(indices.Shape).Concat(table.Shape.Skip(axis + 1)).ToArray();
        var tableStrides = TensorLayout.Strides(table.Shape);
        var indexStrides = TensorLayout.Strides(indices.Shape);
        var indexRank = indices.Rank;
        return HostTensor.FromFunction(outShape, index =>
        {
            var offset = 0;
            for (var a = 0; a < axis; a++)
            {
                offset += index[a] * tableStrides[a];
            }
            var row = Row(indices, indexStrides, index, axis, rows);
            offset += row * tableStrides[axis];
            for (var b = axis + 1; b < table.Rank; b++)
            {
                offset += index[b - 1 + indexRank] * tableStrides[b];
            }
            return table.Buffer[offset];
        });
    }

    /// <summary>
    /// Adds each <c>updates[a…, i…, b…]</c> into <c>out[a…, clamp(indices[i…]), b…]</c> of a zero
    /// tensor whose axis <paramref name="axis"/> has <paramref name="size"/> rows.
    /// </summary>
    public static HostTensor ScatterAdd(int axis, int size, HostTensor updates, HostTensor indices)
    {
        var indexRank = indices.Rank;
        var outShape = updates.Shape.Take(axis).Append(size).Concat(updates.Shape.Skip(axis + indexRank)).ToArray();
        var outStrides = TensorLayout.Strides(outShape);
        var indexStrides = TensorLayout.Strides(indices.Shape);
        var result = new double[HostTensor.ElementCount(outShape)];
        var index = new int[updates.Rank];
        for (var flat = 0; flat < updates.Length; flat++, TensorLayout.Advance(index, updates.Shape))
        {
            var offset = 0;
            for (var a = 0; a < axis; a++)
            {
                offset += index[a] * outStrides[a];
            }
            offset += Row(indices, indexStrides, index, axis, size) * outStrides[axis];
            for (var b = axis + indexRank; b < updates.Rank; b++)
            {
                offset += index[b] * outStrides[b - indexRank + 1];
            }
            result[offset] += updates.Buffer[flat];
        }
        return HostTensor.Wrap([.. outShape], result);
    }

    // The clamped row named by the index coordinates index[start .. start + indices.Rank).
    private static int Row(HostTensor indices, int[] indexStrides, int[] index, int start, int rows)
    {
        if (rows == 0)
        {
            throw new InvalidOperationException("the indexed axis has no rows");
        }
        var offset = 0;
        for (var k = 0; k < indices.Rank; k++)
        {
            offset += index[start + k] * indexStrides[k];
        }
        return (int)Math.Clamp(indices.Buffer[offset], 0, rows - 1);
    }
}
