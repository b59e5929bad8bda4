using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Autodiff;

/// <summary>
/// Adjoints of the ops that move data without arithmetic: each is the op's transpose (slice and
/// pad undo each other, a broadcast sums back, a concatenation slices apart).
/// </summary>
internal static class MovementAdjoints
{
    /// <summary>Sums over the axes the broadcast created or stretched, then restores the size-1 axes.</summary>
    public static Node Broadcast(GraphBuilder g, BroadcastOp op, Node y, Node dy)
    {
        var x = y.Inputs[0].Type.Shape;
        var stretched = Enumerable.Range(0, op.Target.Rank)
            .Where(axis => op.Axes.IndexOf(axis) is var i && (i < 0 || (x[i] == Dim.Of(1) && op.Target[axis] != Dim.Of(1))))
            .ToArray();
        return g.Reshape(g.Reduce(ReduceKind.Sum, dy, stretched), x);
    }

    /// <summary>Pads the adjoint with zeros back to the input's extent, undoing the ranges last to first.</summary>
    public static Node Slice(GraphBuilder g, SliceOp op, Node y, Node dy)
    {
        var shapes = ShapesBefore(y.Inputs[0].Type.Shape, op.Ranges, (shape, r) => shape.With(r.Axis, r.End - r.Start));
        var padding = op.Ranges.Select((r, i) => new AxisPadding(r.Axis, r.Start, shapes[i][r.Axis].FixedSize - r.End)).Reverse();
        return g.Add(new PadOp([.. padding], 0), dy);
    }

    /// <summary>Keeps the part of the adjoint that covers the input, undoing the paddings last to first.</summary>
    public static Node Pad(GraphBuilder g, PadOp op, Node y, Node dy)
    {
        var shapes = ShapesBefore(y.Inputs[0].Type.Shape, op.Padding, (shape, p) => shape.With(p.Axis, shape[p.Axis].FixedSize + p.Low + p.High));
        var ranges = op.Padding.Select((p, i) => new AxisRange(p.Axis, p.Low, p.Low + shapes[i][p.Axis].FixedSize)).Reverse();
        return g.Add(new SliceOp([.. ranges]), dy);
    }

    /// <summary>Each part's adjoint is its slice of the result's adjoint.</summary>
    public static Node?[] Concat(GraphBuilder g, ConcatOp op, Node y, Node dy)
    {
        var parts = new Node?[y.Inputs.Length];
        var start = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var size = y.Inputs[i].Type.Shape[op.Axis].FixedSize;
            parts[i] = g.Slice(dy, op.Axis, start, start + size);
            start += size;
        }
        return parts;
    }

    // The shape before each step of a sequence of per-axis steps (slice ranges, paddings).
    private static List<Shape> ShapesBefore<T>(Shape shape, IEnumerable<T> steps, Func<Shape, T, Shape> apply)
    {
        var shapes = new List<Shape>();
        foreach (var step in steps)
        {
            shapes.Add(shape);
            shape = apply(shape, step);
        }
        return shapes;
    }
}
