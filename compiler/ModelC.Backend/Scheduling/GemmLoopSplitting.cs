using System.Collections.Immutable;
using ModelC.Backend.Kernels;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Makes a GEMM's operands affine where a reshape made them divide and take remainders of loop
/// variables, so that packing copies, transposes or gathers them instead of evaluating every
/// element's address (attention reads q, k, v of shape [B, S, heads·d] as [B, heads, S, d], and
/// its output back). Two exact rewrites: an index <c>X / q</c> or <c>X mod q</c> with X affine
/// in the loops is split into X's part whose coefficients q divides and the rest; when the rest
/// provably lies in [0, q) (from the loops' constant extents), the quotient is the first part / q
/// and the remainder the rest. Where that fails because one loop variable v of extent E steps
/// X by c with c·f = q and f dividing E, v is split into two loops v = v₁·f + v₂ (v₁ over E / f,
/// v₂ over f), which the first rewrite then resolves. A split is kept only when it removes
/// divisions; the flat order of every loop group is unchanged, so each element's sum over k runs
/// in the same order and results keep their bits.
/// </summary>
internal static class GemmLoopSplitting
{
    private const int MaximumSplits = 8;

    /// <summary>
    /// The loop <paramref name="groups"/> (outer, rows, columns, depth) and the
    /// <paramref name="expressions"/> over them (A, B, epilogue) after splitting and simplifying;
    /// new loop variables come from <paramref name="newVar"/>.
    /// </summary>
    public static (ImmutableArray<Loop>[] Groups, Expr[] Expressions) Apply(
        ImmutableArray<Loop>[] groups, Expr[] expressions, Func<LoopVar> newVar)
    {
        var simplified = Simplified(groups, expressions);
        for (var split = 0; split < MaximumSplits; split++)
        {
            var divisions = simplified.Sum(Divisions);
            var better = Candidates(groups, simplified).Distinct()
                .Select(c => Split(groups, simplified, c.Var, c.Extent, c.Factor, newVar))
                .FirstOrDefault(s => s.Expressions.Sum(Divisions) < divisions);
            if (better.Groups is null)
            {
                break;
            }
            (groups, simplified) = better;
        }
        return (groups, simplified);
    }

    // v = v₁·factor + v₂ in the loops (v₁ outside v₂, in v's place) and the expressions.
    private static (ImmutableArray<Loop>[] Groups, Expr[] Expressions) Split(
        ImmutableArray<Loop>[] groups, Expr[] expressions, LoopVar v, long extent, long factor, Func<LoopVar> newVar)
    {
        var (high, low) = (newVar(), newVar());
        var replacement = IndexMath.Add(IndexMath.Mul(high, IndexMath.Const(factor)), low);
        ImmutableArray<Loop>[] split = [.. groups.Select(g => g.SelectMany(l => l.Var == v
            ? [new Loop(high, IndexMath.Const(extent / factor)), new Loop(low, IndexMath.Const(factor))]
            : new[] { l }).ToImmutableArray())];
        return (split, Simplified(split, [.. expressions.Select(e => Rewrite(e, x => x == v ? replacement : null))]));
    }

    private static Expr[] Simplified(ImmutableArray<Loop>[] groups, Expr[] expressions)
    {
        var extents = Extents(groups);
        return [.. expressions.Select(e => Rewrite(e, x => Resolve(x, extents)))];
    }

    // Loop variable → its constant extent.
    private static Dictionary<LoopVar, long> Extents(IEnumerable<ImmutableArray<Loop>> groups) =>
        groups.SelectMany(g => g).Where(l => l.Extent is IndexConst).ToDictionary(l => l.Var, l => ((IndexConst)l.Extent).Value);

    // X / q or X mod q with X affine, resolved when X's part that q does not divide stays in [0, q).
    private static Expr? Resolve(Expr expr, IReadOnlyDictionary<LoopVar, long> extents)
    {
        if (expr is not IndexBinary { Op: IndexOp.Div or IndexOp.Rem, Right: IndexConst { Value: > 0 } divisor } division
            || Affine.Of(division.Left) is not { } x)
        {
            return null;
        }
        var q = divisor.Value;
        var high = new Affine(x.Terms.Where(t => t.Value % q == 0).ToDictionary(), x.Constant - Remainder(x.Constant, q));
        var low = new Affine(x.Terms.Where(t => t.Value % q != 0).ToDictionary(), Remainder(x.Constant, q));
        if (low.Range(extents) is not { } range || range.Min < 0 || range.Max >= q)
        {
            return null;
        }
        return division.Op == IndexOp.Div ? high.DividedBy(q).ToExpr() : low.ToExpr();
    }

    private static long Remainder(long value, long q) => ((value % q) + q) % q;

    // Splits that would let a division resolve: a loop variable v of constant extent E in X / q
    // or X mod q (X affine), whose coefficient c divides q into f = q / c with f dividing E.
    private static IEnumerable<(LoopVar Var, long Extent, long Factor)> Candidates(ImmutableArray<Loop>[] groups, Expr[] expressions)
    {
        var extents = Extents(groups);
        foreach (var division in expressions.SelectMany(All).OfType<IndexBinary>())
        {
            if (division is not { Op: IndexOp.Div or IndexOp.Rem, Right: IndexConst { Value: > 0 } divisor } || Affine.Of(division.Left) is not { } x)
            {
                continue;
            }
            foreach (var (v, c) in x.Terms.OrderBy(t => t.Key.Id))
            {
                if (c > 0 && divisor.Value % c == 0 && extents.TryGetValue(v, out var extent)
                    && divisor.Value / c is var factor && factor > 1 && factor < extent && extent % factor == 0)
                {
                    yield return (v, extent, factor);
                }
            }
        }
    }

    private static int Divisions(Expr expr) => All(expr).Count(e => e is IndexBinary { Op: IndexOp.Div or IndexOp.Rem });

    private static IEnumerable<Expr> All(Expr expr) => ExprWalker.Children(expr).SelectMany(All).Prepend(expr);

    /// <summary>
    /// Rebuilds the tree bottom-up, replacing each node for which <paramref name="replace"/> (given
    /// the node with its children already rebuilt) answers; index arithmetic is refolded as it is rebuilt.
    /// </summary>
    internal static Expr Rewrite(Expr expr, Func<Expr, Expr?> replace)
    {
        Expr R(Expr e) => Rewrite(e, replace);
        var rebuilt = expr switch
        {
            IndexBinary e => e.Op switch
            {
                IndexOp.Add => IndexMath.Add(R(e.Left), R(e.Right)),
                IndexOp.Sub => IndexMath.Sub(R(e.Left), R(e.Right)),
                IndexOp.Mul => IndexMath.Mul(R(e.Left), R(e.Right)),
                IndexOp.Div => IndexMath.Div(R(e.Left), R(e.Right)),
                IndexOp.Rem => IndexMath.Rem(R(e.Left), R(e.Right)),
                IndexOp.Min => IndexMath.Min(R(e.Left), R(e.Right)),
                IndexOp.Max => IndexMath.Max(R(e.Left), R(e.Right)),
                _ => new IndexBinary(e.Op, R(e.Left), R(e.Right)),
            },
            Load e => new Load(e.Buffer, [.. e.Indices.Select(R)]),
            Unary e => new Unary(e.Kind, R(e.Operand)),
            Binary e => new Binary(e.Kind, R(e.Left), R(e.Right)),
            Compare e => new Compare(e.Kind, R(e.Left), R(e.Right)),
            Select e => new Select(R(e.Condition), R(e.Then), R(e.Otherwise)),
            Cast e => new Cast(e.To, R(e.Operand)),
            Reduce e => new Reduce(e.Kind, e.Vars, [.. e.Extents.Select(R)], R(e.Body)),
            _ => expr,
        };
        return replace(rebuilt) ?? rebuilt;
    }

    /// <summary>Σ coefficient·variable + constant.</summary>
    private sealed record Affine(Dictionary<LoopVar, long> Terms, long Constant)
    {
        public static Affine? Of(Expr expr) => expr switch
        {
            LoopVar v => new Affine(new() { [v] = 1 }, 0),
            IndexConst c => new Affine([], c.Value),
            IndexBinary { Op: IndexOp.Add } e => Combine(Of(e.Left), Of(e.Right), 1),
            IndexBinary { Op: IndexOp.Sub } e => Combine(Of(e.Left), Of(e.Right), -1),
            IndexBinary { Op: IndexOp.Mul, Right: IndexConst c } e => Of(e.Left)?.Scaled(c.Value),
            IndexBinary { Op: IndexOp.Mul, Left: IndexConst c } e => Of(e.Right)?.Scaled(c.Value),
            _ => null,
        };

        // The least and greatest value over the loops, when every variable has a constant extent.
        public (long Min, long Max)? Range(IReadOnlyDictionary<LoopVar, long> extents)
        {
            var (min, max) = (Constant, Constant);
            foreach (var (v, c) in Terms)
            {
                if (!extents.TryGetValue(v, out var extent) || extent < 1)
                {
                    return null;
                }
                var last = c * (extent - 1);
                (min, max) = (min + Math.Min(0, last), max + Math.Max(0, last));
            }
            return (min, max);
        }

        public Affine DividedBy(long q) => new(Terms.ToDictionary(t => t.Key, t => t.Value / q), Constant / q);

        // Terms in variable order, so equal forms give equal trees (kernels are hashed by content).
        public Expr ToExpr() => Terms.Where(t => t.Value != 0).OrderBy(t => t.Key.Id)
            .Aggregate((Expr)IndexMath.Const(0), (sum, t) => IndexMath.Add(sum, IndexMath.Mul(t.Key, IndexMath.Const(t.Value))), (sum) => IndexMath.Add(sum, IndexMath.Const(Constant)));

        private Affine Scaled(long factor) => new(Terms.ToDictionary(t => t.Key, t => t.Value * factor), Constant * factor);

        private static Affine? Combine(Affine? a, Affine? b, long sign)
        {
            if (a is null || b is null)
            {
                return null;
            }
            var terms = new Dictionary<LoopVar, long>(a.Terms);
            foreach (var (v, c) in b.Terms)
            {
                terms[v] = terms.GetValueOrDefault(v) + sign * c;
            }
            return new Affine(terms, a.Constant + sign * b.Constant);
        }
    }
}
