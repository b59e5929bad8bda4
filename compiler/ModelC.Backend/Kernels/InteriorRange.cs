using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Kernels;

/// <summary>
/// The interior of a loop: the range of one loop variable over which every bounds test and
/// clamp on it in an expression is decided (a pad's "inside the input" test is true, its clamp
/// of the source index does nothing). A kernel runs its interior with the expression
/// specialised to it (<see cref="LoopSpecialization"/>), which computes the same value per
/// element without the per-element tests, so the loop vectorises; only the border keeps them.
/// Recognised: an ordered comparison, minimum or maximum of <c>var + c</c> with a constant
/// (<c>var + c</c> may itself be clamped so).
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
        void Narrow(long from, long to)
        {
            (low, high, found) = (Math.Max(low, from), Math.Min(high, to), true);
        }
        // c when the index is var + c (var, var + c, c + var or var − c, any of them clamped by a
        // constant: inside the interior the clamp is the identity); null otherwise.
        long? Offset(Expr index) => index switch
        {
            LoopVar v when v == var => 0,
            IndexBinary { Op: IndexOp.Add, Right: IndexConst c } b => Offset(b.Left) + c.Value,
            IndexBinary { Op: IndexOp.Add, Left: IndexConst c } b => Offset(b.Right) + c.Value,
            IndexBinary { Op: IndexOp.Sub, Right: IndexConst c } b => Offset(b.Left) - c.Value,
            IndexBinary { Op: IndexOp.Min or IndexOp.Max, Right: IndexConst } b => Offset(b.Left),
            _ => null,
        };
        void Visit(Expr expr)
        {
            switch (expr)
            {
                case Compare { Right: IndexConst k } c when Offset(c.Left) is { } offset:
                    switch (c.Kind)
                    {
                        case CompareKind.Ge: Narrow(k.Value - offset, long.MaxValue); break;
                        case CompareKind.Gt: Narrow(k.Value - offset + 1, long.MaxValue); break;
                        case CompareKind.Lt: Narrow(long.MinValue, k.Value - offset); break;
                        case CompareKind.Le: Narrow(long.MinValue, k.Value - offset + 1); break;
                    }
                    break;
                case IndexBinary { Op: IndexOp.Max, Right: IndexConst k } b when Offset(b.Left) is { } offset:
                    Narrow(k.Value - offset, long.MaxValue);
                    break;
                case IndexBinary { Op: IndexOp.Min, Right: IndexConst k } b when Offset(b.Left) is { } offset:
                    Narrow(long.MinValue, k.Value - offset + 1);
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
}
