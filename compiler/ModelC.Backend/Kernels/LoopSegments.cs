using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Kernels;

/// <summary>
/// Where a concatenation cuts a loop: a concatenation along an axis reads its parts through
/// selects on <c>j &lt; offset</c>, and reads every part at a clamped index so that the unselected
/// loads stay in their buffers. Evaluated per element, that keeps a loop over the axis scalar.
/// Cut at those offsets, each segment of the loop reads one part: specialised to a segment
/// (<see cref="LoopSpecialization"/>), the selects are decided and the clamps are the identity,
/// so both fold away and leave a contiguous load.
/// </summary>
public static class LoopSegments
{
    /// <summary>
    /// The constants c of every <c>var &lt; c</c> in <paramref name="body"/> with c above zero,
    /// ascending and distinct: where the loop over <paramref name="var"/> is cut.
    /// </summary>
    public static IReadOnlyList<long> Cuts(Expr body, LoopVar var)
    {
        var cuts = new SortedSet<long>();
        void Visit(Expr expr)
        {
            if (expr is Compare { Kind: CompareKind.Lt, Left: LoopVar v, Right: IndexConst { Value: > 0 } c } && v == var)
            {
                cuts.Add(c.Value);
            }
            foreach (var child in ExprWalker.Children(expr))
            {
                Visit(child);
            }
        }
        Visit(body);
        return [.. cuts];
    }
}
