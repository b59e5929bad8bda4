using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// <see cref="ContractOp"/> as the einsum definition reads: for every assignment of a value to
/// each label, add <c>left[its labels] · right[its labels]</c> into <c>out[its labels]</c>.
/// Labels absent from the output are thereby summed over.
/// </summary>
internal static class ReferenceContraction
{
    /// <summary>Contracts <paramref name="left"/> and <paramref name="right"/> as <paramref name="op"/> describes.</summary>
    public static HostTensor Contract(ContractOp op, HostTensor left, HostTensor right)
    {
        // Output labels first, then the summed ones, so the odometer walks the output in order.
        var labels = op.Output.Concat(op.Left).Concat(op.Right).Distinct().ToArray();
        var sizes = new int[labels.Length];
        Array.Fill(sizes, -1);
        BindSizes(op.Left, left, labels, sizes);
        BindSizes(op.Right, right, labels, sizes);
        if (sizes.Any(s => s < 0))
        {
            throw new InvalidOperationException($"an output label is in neither operand ({op.FormatAttributes()})");
        }

        var outShape = op.Output.Select(l => sizes[Array.IndexOf(labels, l)]).ToImmutableArray();
        var leftStrides = StridesByLabel(op.Left, left, labels);
        var rightStrides = StridesByLabel(op.Right, right, labels);
        var outStrides = StridesByLabel(op.Output, outShape, labels);

        var result = new double[HostTensor.ElementCount(outShape)];
        if (labels.Length == 0)
        {
            result[0] = left.Buffer[0] * right.Buffer[0];
            return HostTensor.Wrap(outShape, result);
        }
        // The odometer walks every label but the last; the last (a summed label whenever there
        // is one) runs as a plain inner loop with fixed strides.
        var inner = labels.Length - 1;
        var (innerSize, innerLeft, innerRight, innerOut) = (sizes[inner], leftStrides[inner], rightStrides[inner], outStrides[inner]);
        var outerSizes = sizes[..inner];
        var total = HostTensor.ElementCount(outerSizes);
        var values = new int[inner];
        for (var step = 0; step < total; step++, TensorLayout.Advance(values, outerSizes))
        {
            var l = TensorLayout.Offset(values, leftStrides);
            var r = TensorLayout.Offset(values, rightStrides);
            var o = TensorLayout.Offset(values, outStrides);
            for (var j = 0; j < innerSize; j++, l += innerLeft, r += innerRight, o += innerOut)
            {
                result[o] += left.Buffer[l] * right.Buffer[r];
            }
        }
        return HostTensor.Wrap(outShape, result);
    }

    private static void BindSizes(ImmutableArray<int> operandLabels, HostTensor operand, int[] labels, int[] sizes)
    {
        for (var axis = 0; axis < operandLabels.Length; axis++)
        {
            var slot = Array.IndexOf(labels, operandLabels[axis]);
            if (sizes[slot] >= 0 && sizes[slot] != operand.Shape[axis])
            {
                throw new InvalidOperationException(
                    $"label {(char)('a' + operandLabels[axis])} has sizes {sizes[slot]} and {operand.Shape[axis]}");
            }
            sizes[slot] = operand.Shape[axis];
        }
    }

    private static int[] StridesByLabel(ImmutableArray<int> operandLabels, HostTensor operand, int[] labels) =>
        StridesByLabel(operandLabels, operand.Shape, labels);

    // The stride with which each label moves through a tensor; 0 for labels the tensor lacks.
    private static int[] StridesByLabel(ImmutableArray<int> operandLabels, ImmutableArray<int> shape, int[] labels)
    {
        var strides = TensorLayout.Strides(shape);
        var byLabel = new int[labels.Length];
        for (var axis = 0; axis < operandLabels.Length; axis++)
        {
            byLabel[Array.IndexOf(labels, operandLabels[axis])] = strides[axis];
        }
        return byLabel;
    }
}
