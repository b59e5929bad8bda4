using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Llvm;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Tests;

/// <summary>
/// Index quotients and remainders whose operands are known to be ≥ 0 (loop variables, sizes and
/// what sums, products, quotients, minima and maxima make of them) divide unsigned, which is
/// cheaper and gives the same values there; a difference may be negative and keeps the signed
/// division. The values are the differential tests' (reshapes and unfolds read through these).
/// </summary>
public sealed class UnsignedIndexDivisionTests
{
    private static readonly LoopVar I = new(0);
    private static readonly LoopVar J = new(1);

    public static TheoryData<Expr, bool> Indices() => new()
    {
        { I, true },
        { new SymbolValue(0), true },
        { IndexMath.Const(0), true },
        { IndexMath.Const(-1), false },
        { IndexMath.Add(IndexMath.Mul(I, IndexMath.Const(7)), J), true },
        { IndexMath.Rem(IndexMath.Div(I, IndexMath.Const(3)), new SymbolValue(0)), true },
        { IndexMath.Sub(I, IndexMath.Const(2)), false },
        { IndexMath.Add(I, IndexMath.Const(-2)), false },
        { IndexMath.Max(IndexMath.Sub(I, IndexMath.Const(2)), IndexMath.Const(0)), true },
        { IndexMath.Max(IndexMath.Sub(I, IndexMath.Const(2)), IndexMath.Const(-1)), false },
        { IndexMath.Min(IndexMath.Sub(I, IndexMath.Const(2)), IndexMath.Const(5)), false },
        { IndexMath.Min(I, IndexMath.Const(5)), true },
    };

    [Theory]
    [MemberData(nameof(Indices))]
    public void NonNegativeIndicesAreKnown(Expr index, bool nonNegative) => Assert.Equal(nonNegative, IndexMath.IsNonNegative(index));

    [Fact]
    public void QuotientsOfNonNegativeIndicesDivideUnsigned()
    {
        var text = EmittedIr(IndexMath.Div(IndexMath.Add(I, J), IndexMath.Const(6)), IndexMath.Rem(I, IndexMath.Const(6)));
        Assert.Contains("udiv i64", text, StringComparison.Ordinal);
        Assert.Contains("urem i64", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sdiv", text, StringComparison.Ordinal);
        Assert.DoesNotContain("srem", text, StringComparison.Ordinal);
    }

    [Fact]
    public void QuotientsOfDifferencesDivideSigned()
    {
        var shifted = IndexMath.Sub(I, J);
        var text = EmittedIr(IndexMath.Div(shifted, IndexMath.Const(6)), IndexMath.Rem(shifted, IndexMath.Const(6)));
        Assert.Contains("sdiv i64", text, StringComparison.Ordinal);
        Assert.Contains("srem i64", text, StringComparison.Ordinal);
        Assert.DoesNotContain("udiv", text, StringComparison.Ordinal);
        Assert.DoesNotContain("urem", text, StringComparison.Ordinal);
    }

    // The unoptimised, verified IR of a function of (i, j) that computes the indices.
    private static string EmittedIr(params Expr[] indices) => EmittedFunction.Ir(
        e => e.FunctionType(e.I64, e.I64, e.I64),
        (e, function, x) =>
        {
            x.Bind(I, LLVM.GetParam(function, 0));
            x.Bind(J, LLVM.GetParam(function, 1));
            return indices.Select(x.Emit).Aggregate(e.Add);
        });
}
