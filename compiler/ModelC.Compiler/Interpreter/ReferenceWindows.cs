using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// <see cref="UnfoldOp"/> and its adjoint <see cref="FoldOp"/>. Both use the same map between a
/// window element <c>(…, i, j, y, x)</c> and a grid element <c>(…, y·sh + i·dh, x·sw + j·dw)</c>:
/// unfold reads through it, fold adds through it.
/// </summary>
internal static class ReferenceWindows
{
    /// <summary>Unfolds the last two axes of <paramref name="input"/>: <c>(…, H, W) → (…, kh, kw, H', W')</c>.</summary>
    public static HostTensor Unfold(Window2d window, HostTensor input)
    {
        var rank = input.Rank;
        var height = input.Shape[rank - 2];
        var width = input.Shape[rank - 1];
        var outH = Window2d.Positions(height, window.KernelH, window.StrideH, window.DilationH);
        var outW = Window2d.Positions(width, window.KernelW, window.StrideW, window.DilationW);
        var outShape = input.Shape.Take(rank - 2).Concat([window.KernelH, window.KernelW, outH, outW]).ToArray();
        var strides = TensorLayout.Strides(input.Shape);
        var lead = rank - 2;
        return HostTensor.FromFunction(outShape, index =>
        {
            var (row, column) = GridPosition(window, index, lead);
            var offset = row * strides[lead] + column * strides[lead + 1];
            for (var axis = 0; axis < lead; axis++)
            {
                offset += index[axis] * strides[axis];
            }
            return input.Buffer[offset];
        });
    }

    /// <summary>
    /// Folds windows back onto a <paramref name="height"/> × <paramref name="width"/> grid:
    /// <c>(…, kh, kw, H', W') → (…, height, width)</c>, summing where windows overlap.
    /// </summary>
    public static HostTensor Fold(Window2d window, int height, int width, HostTensor input)
    {
        var lead = input.Rank - 4;
        var outShape = input.Shape.Take(lead).Concat([height, width]).ToArray();
        var outStrides = TensorLayout.Strides(outShape);
        var result = new double[HostTensor.ElementCount(outShape)];
        var index = new int[input.Rank];
        for (var flat = 0; flat < input.Length; flat++, TensorLayout.Advance(index, input.Shape))
        {
            var (row, column) = GridPosition(window, index, lead);
            var offset = row * outStrides[lead] + column * outStrides[lead + 1];
            for (var axis = 0; axis < lead; axis++)
            {
                offset += index[axis] * outStrides[axis];
            }
            result[offset] += input.Buffer[flat];
        }
        return HostTensor.Wrap([.. outShape], result);
    }

    // The grid row and column of window element (i, j) at window position (y, x), which sit at
    // index[lead .. lead+3].
    private static (int Row, int Column) GridPosition(Window2d window, int[] index, int lead)
    {
        var (i, j, y, x) = (index[lead], index[lead + 1], index[lead + 2], index[lead + 3]);
        return (y * window.StrideH + i * window.DilationH, x * window.StrideW + j * window.DilationW);
    }
}
