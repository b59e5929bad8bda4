using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Kernels;

/// <summary>
/// Index-set splitting of a loop: a concatenation along an axis reads its parts through selects
/// on <c>j &lt; offset</c>, and reads every part at a clamped index so that the unselected loads
/// stay in their buffers. Evaluated per element, that keeps a loop over the axis scalar. Cut at
/// those offsets, each segment of the loop reads one part: within a segment the selects are
/// decided and the clamps are the identity, so both fold away and leave a contiguous load.
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

    /// <summary>
    /// <paramref name="expr"/> for <paramref name="var"/> in [<paramref name="low"/>,
    /// <paramref name="high"/>): selects on <c>var &lt; c</c> that the range decides take their
    /// branch, and minima and maxima of index expressions whose ranges do not overlap fold to one
    /// side. Subtrees that do not change are returned as they are.
    /// </summary>
    public static Expr Specialize(Expr expr, LoopVar var, long low, long high)
    {
        Expr S(Expr e) => Specialize(e, var, low, high);
        switch (expr)
        {
            case Select select when Decided(select.Condition, var, low, high) is { } taken:
                return S(taken ? select.Then : select.Otherwise);
            case IndexBinary { Op: IndexOp.Min or IndexOp.Max } b:
                var (left, right) = (S(b.Left), S(b.Right));
                if (Range(left, var, low, high) is { } l && Range(right, var, low, high) is { } r)
                {
                    var leftIsSmaller = l.High <= r.Low;
                    var rightIsSmaller = r.High <= l.Low;
                    if (leftIsSmaller || rightIsSmaller)
                    {
                        return (b.Op == IndexOp.Min) == leftIsSmaller ? left : right;
                    }
                }
                return Same(left, b.Left, right, b.Right) ? b : b with { Left = left, Right = right };
            case IndexBinary b:
                var (first, second) = (S(b.Left), S(b.Right));
                return Same(first, b.Left, second, b.Right) ? b : b with { Left = first, Right = second };
            case Load load:
                var indices = load.Indices.Select(S).ToArray();
                return indices.SequenceEqual(load.Indices, ReferenceEqualityComparer.Instance) ? load : load with { Indices = [.. indices] };
            case Unary u:
                var operand = S(u.Operand);
                return ReferenceEquals(operand, u.Operand) ? u : u with { Operand = operand };
            case Cast c:
                var cast = S(c.Operand);
                return ReferenceEquals(cast, c.Operand) ? c : c with { Operand = cast };
            case Binary b:
                var (x, y) = (S(b.Left), S(b.Right));
                return Same(x, b.Left, y, b.Right) ? b : b with { Left = x, Right = y };
            case Compare c:
                var (p, q) = (S(c.Left), S(c.Right));
                return Same(p, c.Left, q, c.Right) ? c : c with { Left = p, Right = q };
            case Select s:
                var (condition, then, otherwise) = (S(s.Condition), S(s.Then), S(s.Otherwise));
                return ReferenceEquals(condition, s.Condition) && ReferenceEquals(then, s.Then) && ReferenceEquals(otherwise, s.Otherwise)
                    ? s : new Select(condition, then, otherwise);
            case Reduce reduce:
                var (extents, body) = (reduce.Extents.Select(S).ToArray(), S(reduce.Body));
                return extents.SequenceEqual(reduce.Extents, ReferenceEqualityComparer.Instance) && ReferenceEquals(body, reduce.Body)
                    ? reduce : reduce with { Extents = [.. extents], Body = body };
            default:
                return expr;
        }
    }

    private static bool Same(Expr a, Expr oldA, Expr b, Expr oldB) => ReferenceEquals(a, oldA) && ReferenceEquals(b, oldB);

    // Whether var < c holds throughout [low, high), fails throughout, or neither (null).
    private static bool? Decided(Expr condition, LoopVar var, long low, long high) =>
        condition is Compare { Kind: CompareKind.Lt, Left: LoopVar v, Right: IndexConst c } && v == var
            ? high <= c.Value ? true : low >= c.Value ? false : null
            : null;

    // The least and greatest value of an index expression of var and constants over var in
    // [low, high); null when it reads anything else or is not a sum or difference.
    private static (long Low, long High)? Range(Expr expr, LoopVar var, long low, long high) => expr switch
    {
        IndexConst c => (c.Value, c.Value),
        LoopVar v when v == var => (low, high - 1),
        IndexBinary { Op: IndexOp.Add } b when Range(b.Left, var, low, high) is { } l && Range(b.Right, var, low, high) is { } r => (l.Low + r.Low, l.High + r.High),
        IndexBinary { Op: IndexOp.Sub } b when Range(b.Left, var, low, high) is { } l && Range(b.Right, var, low, high) is { } r => (l.Low - r.High, l.High - r.Low),
        _ => null,
    };
}
