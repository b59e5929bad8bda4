using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Cpu;

/// <summary>
/// How a GEMM operand expression walks memory along one loop variable, which is what packing
/// needs to know: a plain float load that moves one element per step is copied with vector
/// loads; otherwise the scalar packing loop runs innermost along the variable the operand's
/// loads are contiguous in, when they are.
/// </summary>
internal static class GemmOperandAccess
{
    /// <summary>The operand itself when it is one float load whose address moves by exactly one element per step of <paramref name="var"/>.</summary>
    public static Load? ContiguousLoad(Expr operand, LoopVar var) =>
        operand is Load { Type: ScalarType.F32 } load && IsUnitStride(load, var) ? load : null;

    /// <summary>
    /// How many elements <paramref name="load"/>'s address moves per step of <paramref name="var"/>
    /// (an index expression over the program's <paramref name="symbols"/>), when every index is
    /// affine in it with a constant coefficient; null otherwise.
    /// </summary>
    public static Expr? Stride(Load load, LoopVar var, IReadOnlyList<string> symbols)
    {
        Expr stride = IndexMath.Const(0);
        Expr size = IndexMath.Const(1);
        for (var i = load.Indices.Length - 1; i >= 0; i--)
        {
            if (Coefficient(load.Indices[i], var) is not { } coefficient)
            {
                return null;
            }
            stride = IndexMath.Add(stride, IndexMath.Mul(IndexMath.Const(coefficient), size));
            size = IndexMath.Mul(size, IndexMath.Size(load.Buffer.Shape[i], symbols));
        }
        return stride;
    }

    /// <summary>
    /// The operand itself when it is one float load whose address moves by exactly one element per
    /// step of the flat index over <paramref name="loops"/> (see <see cref="Stride(Load, IReadOnlyList{Loop}, IReadOnlyList{string})"/>):
    /// e.g. the rows of a [batch, tokens, features] activation read along batch × tokens.
    /// </summary>
    public static Load? ContiguousLoad(Expr operand, IReadOnlyList<Loop> loops, IReadOnlyList<string> symbols) =>
        operand is Load { Type: ScalarType.F32 } load && Stride(load, loops, symbols) is IndexConst { Value: 1 } ? load : null;

    /// <summary>
    /// How many elements <paramref name="load"/>'s address moves per step of the flat
    /// (row-major) index over <paramref name="loops"/>, when that is one stride for the whole
    /// group: each loop's stride is the next inner loop's stride times that loop's extent, so the
    /// group walks memory as one loop would. Null otherwise, for an empty group, or when the
    /// strides are symbolic and not written alike (no algebra is attempted).
    /// </summary>
    public static Expr? Stride(Load load, IReadOnlyList<Loop> loops, IReadOnlyList<string> symbols)
    {
        if (loops.Count == 0 || Stride(load, loops[^1].Var, symbols) is not { } inner)
        {
            return null;
        }
        var expected = inner;
        for (var i = loops.Count - 2; i >= 0; i--)
        {
            expected = IndexMath.Mul(expected, loops[i + 1].Extent);
            if (!Equals(Stride(load, loops[i].Var, symbols), expected))
            {
                return null;
            }
        }
        return inner;
    }

    /// <summary>
    /// The operand itself when it is one float load whose every index is affine, with constant
    /// coefficients, in each of <paramref name="vars"/> (a convolution's unfold over a stored
    /// input, an operand permuted across several loops): its address is then the sum of one part
    /// per loop group.
    /// </summary>
    public static Load? AffineLoad(Expr operand, IEnumerable<LoopVar> vars) =>
        operand is Load { Type: ScalarType.F32 } load && vars.All(v => load.Indices.All(i => Coefficient(i, v) is not null)) ? load : null;

    /// <summary>
    /// The operand as a load affine in each of <paramref name="vars"/> (see <see cref="AffineLoad"/>),
    /// either plain or read only where some affine positions are in bounds and +0 elsewhere: the
    /// expression a zero pad gives, <c>select(0 ≤ p ∧ p &lt; size ∧ …, load(…, clamp(p) …), 0)</c>,
    /// whose clamps are removed, each only when the bounds keep its position inside. Null for any
    /// other operand.
    /// </summary>
    public static BoundedLoad? AffineBoundedLoad(Expr operand, IReadOnlyList<LoopVar> vars)
    {
        if (AffineLoad(operand, vars) is { } plain)
        {
            return new BoundedLoad(plain, []);
        }
        var bounds = new List<Compare>();
        if (operand is not Select { Then: Load { Type: ScalarType.F32 } clamped, Otherwise: Constant { Value: var zero } } select
            || BitConverter.DoubleToInt64Bits(zero) != 0
            || !Conjuncts(select.Condition, bounds)
            || !bounds.All(b => vars.All(v => Coefficient(b.Left, v) is not null)))
        {
            return null;
        }
        var unclamped = clamped with { Indices = [.. clamped.Indices.Select(i => Unclamped(i, bounds))] };
        return AffineLoad(unclamped, vars) is { } load ? new BoundedLoad(load, [.. bounds]) : null;
    }

    // Collects a conjunction (a ∧ b is select(a, b, false)) of bounds p ≥ 0 and p < c.
    private static bool Conjuncts(Expr condition, List<Compare> bounds)
    {
        switch (condition)
        {
            case Select { Otherwise: Constant { Value: 0, Type: ScalarType.Bool } } and:
                return Conjuncts(and.Condition, bounds) && Conjuncts(and.Then, bounds);
            case Compare { Kind: CompareKind.Ge, Right: IndexConst { Value: 0 } } or Compare { Kind: CompareKind.Lt, Right: IndexConst }:
                bounds.Add((Compare)condition);
                return true;
            default:
                return false;
        }
    }

    // clamp(p, size) = min(max(p, 0), size − 1) is p wherever the bounds hold 0 ≤ p < size.
    private static Expr Unclamped(Expr index, List<Compare> bounds) =>
        index is IndexBinary { Op: IndexOp.Min, Left: IndexBinary { Op: IndexOp.Max, Left: var p, Right: IndexConst { Value: 0 } }, Right: IndexConst last }
        && bounds.Contains(new Compare(CompareKind.Ge, p, IndexMath.Const(0)))
        && bounds.Contains(new Compare(CompareKind.Lt, p, IndexMath.Const(last.Value + 1)))
            ? p
            : index;

    /// <summary>The element offset of <paramref name="load"/> from the start of its buffer, over the program's <paramref name="symbols"/>.</summary>
    public static Expr Offset(Load load, IReadOnlyList<string> symbols) =>
        IndexMath.Linearize(load.Indices, [.. load.Buffer.Shape.Select(d => IndexMath.Size(d, symbols))]);

    /// <summary>True when the operand loads something and every load that moves with <paramref name="var"/> moves by one element per step.</summary>
    public static bool IsContiguousIn(Expr operand, LoopVar var)
    {
        var moving = ExprWalker.Loads(operand).Where(l => l.Indices.Any(i => Coefficient(i, var) != 0)).ToList();
        return moving.Count > 0 && moving.All(l => IsUnitStride(l, var));
    }

    // Row-major: one element per step when only the last index moves, by exactly one.
    private static bool IsUnitStride(Load load, LoopVar var) =>
        load.Indices.Length > 0
        && Coefficient(load.Indices[^1], var) == 1
        && load.Indices.Take(load.Indices.Length - 1).All(i => Coefficient(i, var) == 0);

    /// <summary>d <paramref name="index"/> / d <paramref name="var"/> when the index is affine in the variable with a constant coefficient; null otherwise.</summary>
    public static long? Coefficient(Expr index, LoopVar var)
    {
        switch (index)
        {
            case LoopVar v:
                return v == var ? 1 : 0;
            case IndexConst or SymbolValue:
                return 0;
            case IndexBinary { Op: IndexOp.Add or IndexOp.Sub or IndexOp.Mul } b:
                var (left, right) = (Coefficient(b.Left, var), Coefficient(b.Right, var));
                return b.Op switch
                {
                    IndexOp.Add => left + right,
                    IndexOp.Sub => left - right,
                    _ when left == 0 && right == 0 => 0,
                    _ when left == 0 && b.Left is IndexConst c => c.Value * right,
                    _ when right == 0 && b.Right is IndexConst c => left * c.Value,
                    _ => null,
                };
            default:
                return Mentions(index, var) ? null : 0;
        }
    }

    private static bool Mentions(Expr expr, LoopVar var) => expr == var || ExprWalker.Children(expr).Any(c => Mentions(c, var));
}
