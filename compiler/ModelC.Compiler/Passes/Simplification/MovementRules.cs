using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes.Simplification;

/// <summary>
/// Rules for ops that only move elements, all exact since no arithmetic happens: a view of a
/// constant fill is a fill of the view's type (a broadcast scalar constant becomes a constant);
/// reshapes, permutes, broadcasts, slices and reversals of their own kind compose into one;
/// a permute of a reshape that merges axes permutes the unmerged axes first (whole runs move
/// together), so that a following reshape composes with the merge and reads stay affine;
/// views that change nothing (same shape, identity permutation, full-range slice, no padding,
/// one-part concatenation) disappear.
/// </summary>
internal static class MovementRules
{
    /// <summary>The node <paramref name="op"/> of <paramref name="inputs"/> equals, or null.</summary>
    public static Node? Rewrite(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs, TensorType type)
    {
        if (inputs.IsEmpty)
        {
            return null;
        }
        if (FillOf(op, inputs) is { } fill)
        {
            return rewriter.Constant(fill, type);
        }
        var input = inputs[0];
        return op switch
        {
            ReshapeOp reshape when input.Type.Shape == reshape.Target => input,
            ReshapeOp reshape when input.Op is ReshapeOp => rewriter.Emit(reshape, input.Inputs[0]),
            PermuteOp permute when permute.Permutation.SequenceEqual(Enumerable.Range(0, permute.Permutation.Length)) => input,
            PermuteOp permute when input.Op is PermuteOp inner =>
                rewriter.Emit(new PermuteOp([.. permute.Permutation.Select(a => inner.Permutation[a])]), input.Inputs[0]),
            PermuteOp permute when input.Op is ReshapeOp && MergeGroups.Of(input.Inputs[0].Type.Shape, input.Type.Shape) is { } groups =>
                rewriter.Emit(new ReshapeOp(type.Shape),
                    rewriter.Emit(new PermuteOp([.. permute.Permutation.SelectMany(a => groups[a])]), input.Inputs[0])),
            BroadcastOp broadcast when input.Type.Shape == broadcast.Target => input,
            BroadcastOp broadcast when input.Op is BroadcastOp inner =>
                rewriter.Emit(new BroadcastOp(broadcast.Target, [.. inner.Axes.Select(a => broadcast.Axes[a])]), input.Inputs[0]),
            SliceOp slice => Slice(rewriter, slice, input),
            PadOp pad when pad.Padding.All(p => p.Low == 0 && p.High == 0) => input,
            ConcatOp when inputs.Length == 1 => input,
            ReverseOp reverse when reverse.Axes.IsEmpty => input,
            ReverseOp reverse when input.Op is ReverseOp inner =>
                rewriter.Emit(new ReverseOp([.. reverse.Axes.Except(inner.Axes).Concat(inner.Axes.Except(reverse.Axes)).Order()]), input.Inputs[0]),
            _ => null,
        };
    }

    // The value of every element when the op only moves the elements of constant fills around.
    private static double? FillOf(Op op, ImmutableArray<Node> inputs)
    {
        if (inputs[0].Op is not ConstantOp { Value: var value })
        {
            return null;
        }
        return op switch
        {
            ReshapeOp or PermuteOp or BroadcastOp or SliceOp or ReverseOp or UnfoldOp or GatherOp => value,
            PadOp pad when AttributeEquality.SameBits(pad.Value, value) => value,
            ConcatOp when inputs.All(i => i.Op is ConstantOp c && AttributeEquality.SameBits(c.Value, value)) => value,
            _ => null,
        };
    }

    // One range per axis in the coordinates of the slices' source (ranges apply in order, so a
    // later range on an axis counts from an earlier one's start), without the full ones.
    private static Node? Slice(GraphRewriter rewriter, SliceOp slice, Node input)
    {
        var (source, ranges) = input.Op is SliceOp inner ? (input.Inputs[0], inner.Ranges.AddRange(slice.Ranges)) : (input, slice.Ranges);
        var shape = source.Type.Shape;
        var bounds = new Dictionary<int, (int Start, int End)>();
        var axes = new List<int>();
        foreach (var range in ranges)
        {
            if (!bounds.TryGetValue(range.Axis, out var current))
            {
                axes.Add(range.Axis);
                current = (0, shape[range.Axis].FixedSize);
            }
            bounds[range.Axis] = (current.Start + range.Start, current.Start + range.End);
        }
        ImmutableArray<AxisRange> normalized =
        [
            .. axes.Select(a => new AxisRange(a, bounds[a].Start, bounds[a].End))
                .Where(r => r.Start != 0 || r.End != shape[r.Axis].FixedSize),
        ];
        if (ReferenceEquals(source, input) && new SliceOp(normalized) == slice)
        {
            return null;
        }
        return normalized.IsEmpty ? source : rewriter.Emit(new SliceOp(normalized), source);
    }
}
