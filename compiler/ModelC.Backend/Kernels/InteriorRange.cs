using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Kernels;

/// <summary>
/// The interior of a loop: the range of one loop variable over which every bounds test and
/// clamp on it in an expression is decided (a pad's "inside the input" test is true, its clamp
/// of the source index does nothing), with the expression those tests and clamps removed. A
/// kernel runs its interior with <see cref="Body"/>, which computes the same value per element
/// (the select picks the same branch, the clamp the same index) without the per-element test,
/// so the loop vectorises; only the border keeps the original expression.
/// Recognised: an index comparison or min/max of <c>var + c</c> against a constant.
/// </summary>
/// <param name="Low">The first value of the variable in the interior.</param>
/// <param name="High">One past the last value in the interior (at most <see cref="Low"/> means none).</param>
/// <param name="Body">The expression with the decided tests replaced by true and the clamps by their operand.</param>
public sealed record InteriorRange(long Low, long High, Expr Body)
{
    /// <summary>
    /// The interior of <paramref name="var"/> in <paramref name="body"/>; null when the body has
    /// no test or clamp on it to decide, or the interior is empty.
    /// </summary>
    public static InteriorRange? Of(Expr body, LoopVar var)
    {
        var bounds = new Bounds(var);
        var simplified = bounds.Rewrite(body);
        return bounds.Found && bounds.Low < bounds.High ? new InteriorRange(bounds.Low, bounds.High, simplified) : null;
    }

    // Rewrites bottom-up, narrowing [Low, High) to where each rewritten node's assumption holds.
    private sealed class Bounds(LoopVar var)
    {
        private static readonly Constant True = new(1, ScalarType.Bool);

        public long Low { get; private set; } = long.MinValue;

        public long High { get; private set; } = long.MaxValue;

        public bool Found { get; private set; }

        public Expr Rewrite(Expr expr)
        {
            var rewritten = expr switch
            {
                IndexBinary b => Same(b.Left, b.Right, out var l, out var r) ? b : b with { Left = l, Right = r },
                Load l => RewriteAll(l.Indices) is { } indices ? l with { Indices = indices } : l,
                Unary u => Rewrite(u.Operand) is var o && ReferenceEquals(o, u.Operand) ? u : u with { Operand = o },
                Binary b => Same(b.Left, b.Right, out var l, out var r) ? b : b with { Left = l, Right = r },
                Compare c => Same(c.Left, c.Right, out var l, out var r) ? c : c with { Left = l, Right = r },
                Select s => RewriteSelect(s),
                Cast c => Rewrite(c.Operand) is var o && ReferenceEquals(o, c.Operand) ? c : c with { Operand = o },
                Reduce r => RewriteReduce(r),
                _ => expr,
            };
            return Decide(rewritten);
        }

        private Expr RewriteSelect(Select s)
        {
            var condition = Rewrite(s.Condition);
            var (then, otherwise) = (Rewrite(s.Then), Rewrite(s.Otherwise));
            if (condition == True)
            {
                return then;
            }
            return ReferenceEquals(condition, s.Condition) && ReferenceEquals(then, s.Then) && ReferenceEquals(otherwise, s.Otherwise)
                ? s
                : new Select(condition, then, otherwise);
        }

        private Reduce RewriteReduce(Reduce r)
        {
            var extents = RewriteAll(r.Extents);
            var body = Rewrite(r.Body);
            return extents is null && ReferenceEquals(body, r.Body) ? r : r with { Extents = extents ?? r.Extents, Body = body };
        }

        // A test or clamp of var + c against a constant: assumed decided, and the range narrowed.
        private Expr Decide(Expr expr)
        {
            switch (expr)
            {
                case Compare { Left.Type: ScalarType.Index, Right: IndexConst r } c when Offset(c.Left) is { } offset:
                    switch (c.Kind)
                    {
                        case CompareKind.Ge: return Assume(r.Value - offset, long.MaxValue, True);
                        case CompareKind.Gt: return Assume(r.Value - offset + 1, long.MaxValue, True);
                        case CompareKind.Lt: return Assume(long.MinValue, r.Value - offset, True);
                        case CompareKind.Le: return Assume(long.MinValue, r.Value - offset + 1, True);
                        default: return expr;
                    }
                case IndexBinary { Op: IndexOp.Max, Right: IndexConst k } b when Offset(b.Left) is { } offset:
                    return Assume(k.Value - offset, long.MaxValue, b.Left);
                case IndexBinary { Op: IndexOp.Min, Right: IndexConst k } b when Offset(b.Left) is { } offset:
                    return Assume(long.MinValue, k.Value - offset + 1, b.Left);
                default:
                    return expr;
            }
        }

        private Expr Assume(long low, long high, Expr result)
        {
            Low = Math.Max(Low, low);
            High = Math.Min(High, high);
            Found = true;
            return result;
        }

        // c when the index is var + c (var, var + c, c + var or var − c); null otherwise.
        private long? Offset(Expr index) => index switch
        {
            LoopVar v when v == var => 0,
            IndexBinary { Op: IndexOp.Add, Right: IndexConst c } b => Offset(b.Left) + c.Value,
            IndexBinary { Op: IndexOp.Add, Left: IndexConst c } b => Offset(b.Right) + c.Value,
            IndexBinary { Op: IndexOp.Sub, Right: IndexConst c } b => Offset(b.Left) - c.Value,
            _ => null,
        };

        private bool Same(Expr left, Expr right, out Expr newLeft, out Expr newRight)
        {
            (newLeft, newRight) = (Rewrite(left), Rewrite(right));
            return ReferenceEquals(newLeft, left) && ReferenceEquals(newRight, right);
        }

        // The rewritten list, or null when no element changed.
        private ImmutableArray<Expr>? RewriteAll(ImmutableArray<Expr> items)
        {
            var rewritten = items.Select(Rewrite).ToArray();
            return rewritten.Where((item, i) => !ReferenceEquals(item, items[i])).Any() ? [.. rewritten] : null;
        }
    }
}
