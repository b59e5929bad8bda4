using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>One evaluated position of an index expression: an index or a slice.</summary>
internal abstract record Subscript(Location At);

/// <summary><c>i</c>: one item of a list, or one element along a tensor dimension (which disappears).</summary>
internal sealed record ElementSubscript(Value Index, Location At) : Subscript(At);

/// <summary><c>start:stop:step</c>, each part optional, as Python slices with a positive step.</summary>
internal sealed record SliceSubscript(SlicePart? Start, SlicePart? Stop, SlicePart? Step, Location At) : Subscript(At)
{
    /// <summary>True for <c>:</c> alone, which keeps a dimension whole (the batch included).</summary>
    public bool IsWhole => Start is null && Stop is null && Step is null;
}

/// <summary>One part of a slice with its place.</summary>
internal readonly record struct SlicePart(Value Value, Location At);

/// <summary>
/// Indexing and slicing: <c>list[i]</c>, <c>list[a:b:s]</c>, and on tensors one index or slice per
/// leading dimension (<c>x[:, 0]</c>, <c>x[:, 1:5:2]</c>), lowered to slice, pad and reshape nodes
/// so that gradients and kernels come from those primitives.
/// </summary>
internal static class Subscripts
{
    public static Value Index(ElaborationContext context, Value target, IReadOnlyList<Subscript> subscripts, Location targetAt)
    {
        if (target is ErrorValue || subscripts.Any(HasError))
        {
            return ErrorValue.Instance;
        }
        switch (target)
        {
            case ListValue when subscripts.Count != 1:
                return context.Report(ValueDiagnostics.ListIndexCount(subscripts[1].At, subscripts.Count));
            case ListValue list:
                return subscripts[0] switch
                {
                    ElementSubscript element => ListItem(context, list, element),
                    SliceSubscript slice => Range(context, slice, list.Items.Length) is { } r
                        ? new ListValue([.. Enumerable.Range(0, r.Count).Select(k => list.Items[r.Start + k * r.Step])])
                        : ErrorValue.Instance,
                    _ => ErrorValue.Instance,
                };
            case TensorValue tensor:
                return Tensor(context, tensor, subscripts);
            default:
                return context.Report(ValueDiagnostics.NotIndexable(targetAt, target));
        }
    }

    private static bool HasError(Subscript subscript) => subscript switch
    {
        ElementSubscript element => element.Index is ErrorValue,
        SliceSubscript slice => new[] { slice.Start, slice.Stop, slice.Step }.Any(p => p is { Value: ErrorValue }),
        _ => true,
    };

    private static Value ListItem(ElaborationContext context, ListValue list, ElementSubscript element)
    {
        if (element.Index is not IntValue i)
        {
            return context.Report(ValueDiagnostics.IndexNotInt(element.At, element.Index));
        }
        var position = i.Value < 0 ? i.Value + list.Items.Length : i.Value;
        return position >= 0 && position < list.Items.Length
            ? list.Items[(int)position]
            : context.Report(ValueDiagnostics.IndexOutOfRange(element.At, i.Value, list.Items.Length));
    }

    /// <summary>The elements a slice selects from a dimension: start, count, step.</summary>
    private readonly record struct SelectedRange(int Start, int Count, int Step);

    // Python's slice.indices for a positive step: negative bounds count from the end, then clamp.
    private static SelectedRange? Range(ElaborationContext context, SliceSubscript slice, int length)
    {
        if (!Bound(context, slice.Step, "slice step", out var step))
        {
            return null;
        }
        var s = step ?? 1;
        if (s <= 0)
        {
            context.Report(ValueDiagnostics.SliceStep(slice.Step!.Value.At, s));
            return null;
        }
        if (!Bound(context, slice.Start, "slice start", out var start) || !Bound(context, slice.Stop, "slice stop", out var stop))
        {
            return null;
        }
        var first = Clamp(start ?? 0, length);
        var end = Clamp(stop ?? length, length);
        var count = end > first ? (end - first + s - 1) / s : 0;
        return new SelectedRange((int)first, (int)count, (int)Math.Min(s, int.MaxValue));
    }

    private static long Clamp(long bound, int length) => Math.Clamp(bound < 0 ? bound + length : bound, 0, length);

    // An optional part's value (null when absent); false when it is not an int (reported).
    private static bool Bound(ElaborationContext context, SlicePart? part, string what, out long? value)
    {
        value = null;
        if (part is not { } p)
        {
            return true;
        }
        if (p.Value is IntValue i)
        {
            value = i.Value;
            return true;
        }
        context.Report(ValueDiagnostics.IndexNotInt(p.At, p.Value, what));
        return false;
    }

    private static Value Tensor(ElaborationContext context, TensorValue tensor, IReadOnlyList<Subscript> subscripts)
    {
        var type = tensor.Type;
        if (subscripts.Count > type.Rank)
        {
            return context.Report(ShapeDiagnostics.LayerShape(subscripts[type.Rank].At,
                $"{type} has {type.Rank} dimension{(type.Rank == 1 ? "" : "s")}, got {subscripts.Count} indices"));
        }
        var ranges = new List<AxisRange>();
        var padding = new List<AxisPadding>();
        var stepped = new List<(int Axis, int Count, int Step)>();
        var dropped = new List<int>();
        for (var axis = 0; axis < subscripts.Count; axis++)
        {
            var subscript = subscripts[axis];
            var dim = type.Shape[axis];
            if (subscript is SliceSubscript { IsWhole: true })
            {
                continue;
            }
            if (!dim.IsFixed)
            {
                return context.Report(ShapeDiagnostics.BatchDimension(subscript.At,
                    $"cannot index or slice the batch dimension of {type}; ':' keeps it whole"));
            }
            var size = dim.FixedSize;
            if (subscript is ElementSubscript element)
            {
                if (element.Index is not IntValue i)
                {
                    return context.Report(ValueDiagnostics.IndexNotInt(element.At, element.Index));
                }
                var position = i.Value < 0 ? i.Value + size : i.Value;
                if (position < 0 || position >= size)
                {
                    return context.Report(ValueDiagnostics.IndexOutOfRange(element.At, i.Value, axis, type));
                }
                ranges.Add(new AxisRange(axis, (int)position, (int)position + 1));
                dropped.Add(axis);
                continue;
            }
            if (Range(context, (SliceSubscript)subscript, size) is not { } range)
            {
                return ErrorValue.Instance;
            }
            if (range.Count == 0)
            {
                return context.Report(ShapeDiagnostics.LayerShape(subscript.At, $"the slice selects no elements of dimension {axis} of {type}"));
            }
            // A step s takes every s-th element: the range is cut (and padded) to count·s elements,
            // each group of s viewed as a row, and the rows' first column kept.
            var span = range.Step == 1 || range.Count == 1 ? range.Count : (long)range.Count * range.Step;
            var end = (int)Math.Min(range.Start + span, size);
            ranges.Add(new AxisRange(axis, range.Start, end));
            if (range.Start + span > size)
            {
                padding.Add(new AxisPadding(axis, 0, (int)(range.Start + span - size)));
            }
            if (span != range.Count)
            {
                stepped.Add((axis, range.Count, range.Step));
            }
        }
        var g = context.Graph;
        var node = tensor.Node;
        var kept = ranges.Where(r => r.Start != 0 || r.End != type.Shape[r.Axis].FixedSize).ToImmutableArray();
        if (!kept.IsEmpty)
        {
            node = g.Add(new SliceOp(kept), node);
        }
        if (padding.Count > 0)
        {
            node = g.Add(new PadOp([.. padding], 0), node);
        }
        if (stepped.Count > 0)
        {
            node = TakeFirstOfEachStep(g, node, stepped);
        }
        var result = Shape.Of(node.Type.Shape.Dims.Where((_, axis) => !dropped.Contains(axis)));
        return new TensorValue(g.Reshape(node, result));
    }

    // Views each stepped axis of count·step elements as (count, step) and keeps column 0.
    private static Node TakeFirstOfEachStep(GraphBuilder g, Node node, List<(int Axis, int Count, int Step)> stepped)
    {
        var dims = new List<Dim>();
        var columns = new List<AxisRange>();
        for (var axis = 0; axis < node.Type.Rank; axis++)
        {
            if (stepped.FindIndex(s => s.Axis == axis) is var k and >= 0)
            {
                dims.Add(Dim.Of(stepped[k].Count));
                columns.Add(new AxisRange(dims.Count, 0, 1));
                dims.Add(Dim.Of(stepped[k].Step));
            }
            else
            {
                dims.Add(node.Type.Shape[axis]);
            }
        }
        var rows = g.Add(new SliceOp([.. columns]), g.Reshape(node, Shape.Of(dims)));
        var shape = node.Type.Shape;
        foreach (var (axis, count, _) in stepped)
        {
            shape = shape.With(axis, Dim.Of(count));
        }
        return g.Reshape(rows, shape);
    }
}
