using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// Ops that move elements without changing them: reshape, permute, broadcast, slice, pad,
/// concat, reverse. Each walks the output and reads the input element its formula names.
/// </summary>
internal static class ReferenceMovement
{
    /// <summary><see cref="ReshapeOp"/>: the same row-major elements under <paramref name="target"/> (resolved).</summary>
    public static HostTensor Reshape(ImmutableArray<int> target, HostTensor x)
    {
        if (HostTensor.ElementCount(target) != x.Length)
        {
            throw new InvalidOperationException(
                $"{HostTensor.FormatShape(x.Shape)} and {HostTensor.FormatShape(target)} differ in element count");
        }
        return HostTensor.Wrap(target, x.ToArray());
    }

    /// <summary><see cref="PermuteOp"/>: <c>out[i₀, …] = in[j]</c> with <c>j[Permutation[k]] = i[k]</c>.</summary>
    public static HostTensor Permute(ImmutableArray<int> permutation, HostTensor x)
    {
        var strides = TensorLayout.Strides(x.Shape);
        var outShape = permutation.Select(p => x.Shape[p]).ToArray();
        return HostTensor.FromFunction(outShape, index =>
        {
            var offset = 0;
            for (var k = 0; k < index.Length; k++)
            {
                offset += index[k] * strides[permutation[k]];
            }
            return x.Buffer[offset];
        });
    }

    /// <summary>
    /// <see cref="BroadcastOp"/>: input axis i reads output axis <c>Axes[i]</c>, or always 0 when
    /// its size is 1; output axes not in <c>Axes</c> are new and ignored.
    /// </summary>
    public static HostTensor Broadcast(ImmutableArray<int> target, ImmutableArray<int> axes, HostTensor x)
    {
        for (var i = 0; i < axes.Length; i++)
        {
            if (x.Shape[i] != 1 && x.Shape[i] != target[axes[i]])
            {
                throw new InvalidOperationException(
                    $"axis {i} of {HostTensor.FormatShape(x.Shape)} does not fit {HostTensor.FormatShape(target)}");
            }
        }
        var strides = TensorLayout.Strides(x.Shape);
        return HostTensor.FromFunction(target, index =>
        {
            var offset = 0;
            for (var i = 0; i < axes.Length; i++)
            {
                offset += (x.Shape[i] == 1 ? 0 : index[axes[i]]) * strides[i];
            }
            return x.Buffer[offset];
        });
    }

    /// <summary>
    /// <see cref="SliceOp"/>: keeps <c>[Start, End)</c> along each ranged axis. Ranges apply in
    /// order, so a second range on the same axis indexes into the first one's result (as
    /// <see cref="SliceOp.InferType"/> types it).
    /// </summary>
    public static HostTensor Slice(ImmutableArray<AxisRange> ranges, HostTensor x)
    {
        var start = new int[x.Rank];
        var outShape = x.Shape.ToArray();
        foreach (var range in ranges)
        {
            if (range.Start < 0 || range.End > outShape[range.Axis] || range.Start >= range.End)
            {
                throw new InvalidOperationException($"range {range.Start}..{range.End} does not fit axis {range.Axis}");
            }
            start[range.Axis] += range.Start;
            outShape[range.Axis] = range.End - range.Start;
        }
        var strides = TensorLayout.Strides(x.Shape);
        return HostTensor.FromFunction(outShape, index =>
        {
            var offset = 0;
            for (var axis = 0; axis < index.Length; axis++)
            {
                offset += (start[axis] + index[axis]) * strides[axis];
            }
            return x.Buffer[offset];
        });
    }

    /// <summary><see cref="PadOp"/>: <paramref name="value"/> outside the input, which sits after each axis's low padding.</summary>
    public static HostTensor Pad(ImmutableArray<AxisPadding> padding, double value, HostTensor x)
    {
        var low = new int[x.Rank];
        var outShape = x.Shape.ToArray();
        foreach (var pad in padding)
        {
            low[pad.Axis] += pad.Low;
            outShape[pad.Axis] += pad.Low + pad.High;
        }
        var strides = TensorLayout.Strides(x.Shape);
        return HostTensor.FromFunction(outShape, index =>
        {
            var offset = 0;
            for (var axis = 0; axis < index.Length; axis++)
            {
                var source = index[axis] - low[axis];
                if (source < 0 || source >= x.Shape[axis])
                {
                    return value;
                }
                offset += source * strides[axis];
            }
            return x.Buffer[offset];
        });
    }

    /// <summary><see cref="ConcatOp"/>: the parts one after another along <paramref name="axis"/>.</summary>
    public static HostTensor Concat(int axis, IReadOnlyList<HostTensor> parts)
    {
        var first = parts[0];
        foreach (var part in parts)
        {
            if (part.Rank != first.Rank || Enumerable.Range(0, first.Rank).Any(a => a != axis && part.Shape[a] != first.Shape[a]))
            {
                throw new InvalidOperationException(
                    $"cannot join {HostTensor.FormatShape(first.Shape)} and {HostTensor.FormatShape(part.Shape)} along axis {axis}");
            }
        }
        var outShape = first.Shape.SetItem(axis, parts.Sum(p => p.Shape[axis]));
        var partStrides = parts.Select(p => TensorLayout.Strides(p.Shape)).ToArray();
        return HostTensor.FromFunction(outShape, index =>
        {
            // Find the part holding this position along the axis, and the position within it.
            var part = 0;
            var position = index[axis];
            while (position >= parts[part].Shape[axis])
            {
                position -= parts[part].Shape[axis];
                part++;
            }
            var offset = 0;
            for (var a = 0; a < index.Length; a++)
            {
                offset += (a == axis ? position : index[a]) * partStrides[part][a];
            }
            return parts[part].Buffer[offset];
        });
    }

    /// <summary><see cref="ReverseOp"/>: position i along each reversed axis of size n reads n − 1 − i.</summary>
    public static HostTensor Reverse(ImmutableArray<int> axes, HostTensor x)
    {
        var strides = TensorLayout.Strides(x.Shape);
        return HostTensor.FromFunction(x.Shape, index =>
        {
            var offset = 0;
            for (var axis = 0; axis < index.Length; axis++)
            {
                offset += (axes.Contains(axis) ? x.Shape[axis] - 1 - index[axis] : index[axis]) * strides[axis];
            }
            return x.Buffer[offset];
        });
    }
}
