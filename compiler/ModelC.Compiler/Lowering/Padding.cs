using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Lowering;

/// <summary>How padding fills the border: the boundary condition of PDE-style convolutions.</summary>
public enum PaddingMode
{
    /// <summary>Zeros outside (Dirichlet).</summary>
    Zeros,

    /// <summary>Wrap around (periodic).</summary>
    Circular,

    /// <summary>Mirror, not repeating the edge.</summary>
    Reflect,

    /// <summary>Repeat the edge.</summary>
    Replicate,
}

/// <summary>
/// Pads the last two axes. Zeros is a primitive pad; the other modes are slices of the input
/// joined around it, so every mode differentiates through ops autodiff already knows.
/// </summary>
public static class Padding
{
    /// <summary>Pads both spatial axes (the last two) by <paramref name="padH"/> and <paramref name="padW"/> on each side.</summary>
    public static Node Pad2d(GraphBuilder g, Node x, int padH, int padW, PaddingMode mode, double value = 0)
    {
        var rank = x.Type.Rank;
        if (mode == PaddingMode.Zeros)
        {
            var pads = new List<AxisPadding>();
            if (padH > 0)
            {
                pads.Add(new AxisPadding(rank - 2, padH, padH));
            }
            if (padW > 0)
            {
                pads.Add(new AxisPadding(rank - 1, padW, padW));
            }
            return pads.Count == 0 ? x : g.Add(new PadOp([.. pads], value), x);
        }
        return PadAxis(g, PadAxis(g, x, rank - 2, padH, mode), rank - 1, padW, mode);
    }

    /// <summary>Pads one axis by <paramref name="pad"/> on each side with a non-constant mode.</summary>
    public static Node PadAxis(GraphBuilder g, Node x, int axis, int pad, PaddingMode mode)
    {
        if (pad == 0)
        {
            return x;
        }
        var n = x.Type.Shape[axis].FixedSize;
        Node before, after;
        switch (mode)
        {
            case PaddingMode.Circular:
                before = g.Slice(x, axis, n - pad, n);
                after = g.Slice(x, axis, 0, pad);
                break;
            case PaddingMode.Reflect:
                before = g.Add(new ReverseOp([axis]), g.Slice(x, axis, 1, pad + 1));
                after = g.Add(new ReverseOp([axis]), g.Slice(x, axis, n - pad - 1, n - 1));
                break;
            case PaddingMode.Replicate:
                before = Stretch(g, g.Slice(x, axis, 0, 1), axis, pad);
                after = Stretch(g, g.Slice(x, axis, n - 1, n), axis, pad);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "zeros padding is a primitive pad");
        }
        return g.Concat(axis, before, x, after);
    }

    /// <summary>Whether <paramref name="pad"/> is possible for an axis of <paramref name="size"/> in this mode.</summary>
    public static bool Fits(PaddingMode mode, int size, int pad) => mode switch
    {
        PaddingMode.Circular => pad <= size,
        PaddingMode.Reflect => pad < size,
        _ => true,
    };

    private static Node Stretch(GraphBuilder g, Node edge, int axis, int count) =>
        g.BroadcastAlong(edge, edge.Type.Shape.With(axis, count), [.. Enumerable.Range(0, edge.Type.Rank)]);
}
