using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Kernels;

/// <summary>
/// The interior of a loop: the range of one loop variable over which every bounds test and
/// clamp on it in an expression is decided (a pad's "inside the input" test is true, its clamp
/// of the source index does nothing). A kernel runs its interior with the expression
/// specialised to it (<see cref="LoopSpecialization"/>), which computes the same value per
/// element without the per-element tests, so the loop vectorises; only the border keeps them.
/// Recognised: an ordered comparison, minimum or maximum with a constant of <c>a·var + rest</c>,
/// <c>a &gt; 0</c>, where rest is a constant or ranges over a reduction's variables (a strided
/// window's <c>2·x + j − 1</c>), itself maybe clamped so; the interior is where the test is
/// decided for every value of rest.
/// </summary>
/// <param name="Low">The first value of the variable in the interior.</param>
/// <param name="High">One past the last value in the interior (above <see cref="Low"/>).</param>
public sealed record InteriorRange(long Low, long High)
{
    /// <summary>
    /// The interior of <paramref name="var"/> in <paramref name="body"/>; null when the body has
    /// no test or clamp on it to decide, or the interior is empty.
    /// </summary>
    public static InteriorRange? Of(Expr body, LoopVar var)
    {
        var (low, high, found) = (long.MinValue, long.MaxValue, false);
        // The variables of the reductions around the expression being visited, each over [0, extent).
        var reduced = new Dictionary<LoopVar, long>();
        void Narrow(long from, long to)
        {
            (low, high, found) = (Math.Max(low, from), Math.Min(high, to), true);
        }
        // (a, rest) when the index is a·var + rest with rest in [rest.Low, rest.High] for every
        // value of the reduction variables in it (constants, sums, differences and constant
        // multiples of var and of reduction variables, any of them clamped by a constant: inside
        // the interior the clamp is the identity); null otherwise.
        (long A, long Low, long High)? Affine(Expr index) => index switch
        {
            LoopVar v when v == var => (1, 0, 0),
            LoopVar v when reduced.TryGetValue(v, out var extent) => (0, 0, extent - 1),
            IndexConst c => (0, c.Value, c.Value),
            IndexBinary { Op: IndexOp.Add } b when Affine(b.Left) is { } l && Affine(b.Right) is { } r => (l.A + r.A, l.Low + r.Low, l.High + r.High),
            IndexBinary { Op: IndexOp.Sub } b when Affine(b.Left) is { } l && Affine(b.Right) is { } r => (l.A - r.A, l.Low - r.High, l.High - r.Low),
            IndexBinary { Op: IndexOp.Mul, Right: IndexConst { Value: >= 0 } k } b when Affine(b.Left) is { } l => (l.A * k.Value, l.Low * k.Value, l.High * k.Value),
            IndexBinary { Op: IndexOp.Mul, Left: IndexConst { Value: >= 0 } k } b when Affine(b.Right) is { } r => (r.A * k.Value, r.Low * k.Value, r.High * k.Value),
            IndexBinary { Op: IndexOp.Min or IndexOp.Max, Right: IndexConst } b => Affine(b.Left),
            _ => null,
        };
        // Tests on var alone (a > 0): at least k (every value of the rest), or at most k.
        void AtLeast(Expr index, long k)
        {
            if (Affine(index) is { A: > 0 } f)
            {
                Narrow(CeilingDivide(k - f.Low, f.A), long.MaxValue);
            }
        }
        void AtMost(Expr index, long k)
        {
            if (Affine(index) is { A: > 0 } f)
            {
                Narrow(long.MinValue, FloorDivide(k - f.High, f.A) + 1);
            }
        }
        void Visit(Expr expr)
        {
            switch (expr)
            {
                case Compare { Right: IndexConst k } c:
                    switch (c.Kind)
                    {
                        case CompareKind.Ge: AtLeast(c.Left, k.Value); break;
                        case CompareKind.Gt: AtLeast(c.Left, k.Value + 1); break;
                        case CompareKind.Lt: AtMost(c.Left, k.Value - 1); break;
                        case CompareKind.Le: AtMost(c.Left, k.Value); break;
                    }
                    break;
                case IndexBinary { Op: IndexOp.Max, Right: IndexConst k } b:
                    AtLeast(b.Left, k.Value);
                    break;
                case IndexBinary { Op: IndexOp.Min, Right: IndexConst k } b:
                    AtMost(b.Left, k.Value);
                    break;
                case Reduce reduce:
                    for (var i = 0; i < reduce.Vars.Length; i++)
                    {
                        if (reduce.Extents[i] is IndexConst { Value: > 0 } extent)
                        {
                            reduced[reduce.Vars[i]] = extent.Value;
                        }
                    }
                    break;
            }
            foreach (var child in ExprWalker.Children(expr))
            {
                Visit(child);
            }
        }
        Visit(body);
        return found && low < high ? new InteriorRange(low, high) : null;
    }

    private static long FloorDivide(long a, long b) => a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);

    private static long CeilingDivide(long a, long b) => -FloorDivide(-a, b);
}
