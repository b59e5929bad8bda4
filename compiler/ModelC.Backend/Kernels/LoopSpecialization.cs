using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Kernels;

/// <summary>
/// Index-set splitting: an expression specialised to one range [low, high) of a loop variable.
/// Over the range, an ordered comparison of index expressions whose outcome the range decides
/// becomes that outcome (a select on it takes its branch), and a minimum or maximum whose
/// operands' ranges do not overlap becomes the smaller or larger operand. Each element of the
/// range gets the value it had; a loop cut into such ranges runs each piece without its per-element
/// tests and clamps, so it vectorises. Where to cut: <see cref="LoopSegments"/> (a concatenation's
/// parts) and <see cref="InteriorRange"/> (where a pad reads inside its input).
/// </summary>
public static class LoopSpecialization
{
    /// <summary>
    /// <paramref name="expr"/> for <paramref name="var"/> in [<paramref name="low"/>,
    /// <paramref name="high"/>), a range that is not empty. Subtrees that do not change are
    /// returned as they are.
    /// </summary>
    public static Expr Specialize(Expr expr, LoopVar var, long low, long high)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(low, high);
        return new Specializer(var, low, high).Rewrite(expr);
    }

    // Rewrites bottom-up, so that a test or clamp sees its operands already specialised.
    private sealed class Specializer(LoopVar var, long low, long high)
    {
        // The variables of the reductions around the subtree being rewritten, each over [0, extent).
        private readonly Dictionary<LoopVar, long> reduced = [];

        public Expr Rewrite(Expr expr)
        {
            switch (expr)
            {
                case Select s:
                    var condition = Rewrite(s.Condition);
                    if (condition is Constant { ValueType: ScalarType.Bool } decided)
                    {
                        return Rewrite(decided.Value != 0 ? s.Then : s.Otherwise);
                    }
                    var (then, otherwise) = (Rewrite(s.Then), Rewrite(s.Otherwise));
                    return ReferenceEquals(condition, s.Condition) && ReferenceEquals(then, s.Then) && ReferenceEquals(otherwise, s.Otherwise)
                        ? s : new Select(condition, then, otherwise);
                case Compare c:
                    var (left, right) = (Rewrite(c.Left), Rewrite(c.Right));
                    if (Decided(c.Kind, left, right) is { } outcome)
                    {
                        return new Constant(outcome ? 1 : 0, ScalarType.Bool);
                    }
                    return Same(left, c.Left, right, c.Right) ? c : c with { Left = left, Right = right };
                case IndexBinary { Op: IndexOp.Min or IndexOp.Max } b:
                    var (x, y) = (Rewrite(b.Left), Rewrite(b.Right));
                    if (Range(x) is { } l && Range(y) is { } r)
                    {
                        var leftIsSmaller = l.High <= r.Low;
                        if (leftIsSmaller || r.High <= l.Low)
                        {
                            return (b.Op == IndexOp.Min) == leftIsSmaller ? x : y;
                        }
                    }
                    return Same(x, b.Left, y, b.Right) ? b : b with { Left = x, Right = y };
                case IndexBinary b:
                    var (first, second) = (Rewrite(b.Left), Rewrite(b.Right));
                    return Same(first, b.Left, second, b.Right) ? b : b with { Left = first, Right = second };
                case Binary b:
                    var (p, q) = (Rewrite(b.Left), Rewrite(b.Right));
                    return Same(p, b.Left, q, b.Right) ? b : b with { Left = p, Right = q };
                case Load load:
                    var indices = load.Indices.Select(Rewrite).ToArray();
                    return indices.SequenceEqual(load.Indices, ReferenceEqualityComparer.Instance) ? load : load with { Indices = [.. indices] };
                case Unary u:
                    var operand = Rewrite(u.Operand);
                    return ReferenceEquals(operand, u.Operand) ? u : u with { Operand = operand };
                case Cast cast:
                    var value = Rewrite(cast.Operand);
                    return ReferenceEquals(value, cast.Operand) ? cast : cast with { Operand = value };
                case Reduce reduce:
                    var extents = reduce.Extents.Select(Rewrite).ToArray();
                    var bound = Enumerable.Range(0, extents.Length).Where(i => extents[i] is IndexConst { Value: > 0 } && !reduced.ContainsKey(reduce.Vars[i])).ToArray();
                    foreach (var i in bound)
                    {
                        reduced[reduce.Vars[i]] = ((IndexConst)extents[i]).Value;
                    }
                    var body = Rewrite(reduce.Body);
                    foreach (var i in bound)
                    {
                        reduced.Remove(reduce.Vars[i]);
                    }
                    return extents.SequenceEqual(reduce.Extents, ReferenceEqualityComparer.Instance) && ReferenceEquals(body, reduce.Body)
                        ? reduce : reduce with { Extents = [.. extents], Body = body };
                default:
                    return expr;
            }
        }

        private static bool Same(Expr a, Expr oldA, Expr b, Expr oldB) => ReferenceEquals(a, oldA) && ReferenceEquals(b, oldB);

        // The outcome of an ordered comparison throughout the range, or null when it varies or the operands' ranges are unknown.
        private bool? Decided(CompareKind kind, Expr left, Expr right)
        {
            if (Range(left) is not { } l || Range(right) is not { } r)
            {
                return null;
            }
            return kind switch
            {
                CompareKind.Lt => l.High < r.Low ? true : l.Low >= r.High ? false : null,
                CompareKind.Le => l.High <= r.Low ? true : l.Low > r.High ? false : null,
                CompareKind.Gt => l.Low > r.High ? true : l.High <= r.Low ? false : null,
                CompareKind.Ge => l.Low >= r.High ? true : l.High < r.Low ? false : null,
                _ => null,
            };
        }

        // The least and greatest value of sums, differences and constant multiples of var, the
        // variables of the reductions around and constants over the range
        // (saturating, as a range may be unbounded on one side); null for anything else.
        private (long Low, long High)? Range(Expr expr) => expr switch
        {
            IndexConst c => (c.Value, c.Value),
            LoopVar v when v == var => (low, high - 1),
            LoopVar v when reduced.TryGetValue(v, out var extent) => (0, extent - 1),
            IndexBinary { Op: IndexOp.Add } b when Range(b.Left) is { } l && Range(b.Right) is { } r => (Saturate((Int128)l.Low + r.Low), Saturate((Int128)l.High + r.High)),
            IndexBinary { Op: IndexOp.Sub } b when Range(b.Left) is { } l && Range(b.Right) is { } r => (Saturate((Int128)l.Low - r.High), Saturate((Int128)l.High - r.Low)),
            IndexBinary { Op: IndexOp.Mul, Right: IndexConst { Value: >= 0 } k } b when Range(b.Left) is { } l => (Saturate((Int128)l.Low * k.Value), Saturate((Int128)l.High * k.Value)),
            IndexBinary { Op: IndexOp.Mul, Left: IndexConst { Value: >= 0 } k } b when Range(b.Right) is { } r => (Saturate((Int128)r.Low * k.Value), Saturate((Int128)r.High * k.Value)),
            _ => null,
        };

        private static long Saturate(Int128 value) => (long)Int128.Clamp(value, long.MinValue, long.MaxValue);
    }
}
