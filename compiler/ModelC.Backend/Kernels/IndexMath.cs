using ModelC.Compiler.IR;

namespace ModelC.Backend.Kernels;

/// <summary>
/// Builds index expressions, folding constants as it goes so that views compose into the
/// simplest address arithmetic (a permute of a reshape of a slice is usually one multiply-add).
/// </summary>
public static class IndexMath
{
    /// <summary>A constant index.</summary>
    public static Expr Const(long value) => new IndexConst(value);

    /// <summary>The size of <paramref name="dim"/>: a constant, or the run-time value of its symbol.</summary>
    public static Expr Size(Dim dim, IReadOnlyList<string> symbols) =>
        dim.Symbol is { } symbol ? new SymbolValue(IndexOf(symbols, symbol)) : Const(dim.FixedSize);

    /// <summary>a + b</summary>
    public static Expr Add(Expr a, Expr b) => (a, b) switch
    {
        (IndexConst x, IndexConst y) => Const(x.Value + y.Value),
        (_, IndexConst { Value: 0 }) => a,
        (IndexConst { Value: 0 }, _) => b,
        _ => new IndexBinary(IndexOp.Add, a, b),
    };

    /// <summary>a − b</summary>
    public static Expr Sub(Expr a, Expr b) => (a, b) switch
    {
        (IndexConst x, IndexConst y) => Const(x.Value - y.Value),
        (_, IndexConst { Value: 0 }) => a,
        _ => new IndexBinary(IndexOp.Sub, a, b),
    };

    /// <summary>a · b</summary>
    public static Expr Mul(Expr a, Expr b) => (a, b) switch
    {
        (IndexConst x, IndexConst y) => Const(x.Value * y.Value),
        (_, IndexConst { Value: 1 }) => a,
        (IndexConst { Value: 1 }, _) => b,
        (_, IndexConst { Value: 0 }) or (IndexConst { Value: 0 }, _) => Const(0),
        _ => new IndexBinary(IndexOp.Mul, a, b),
    };

    /// <summary>a / b for a ≥ 0, b &gt; 0.</summary>
    public static Expr Div(Expr a, Expr b) => (a, b) switch
    {
        (IndexConst x, IndexConst y) => Const(x.Value / y.Value),
        (_, IndexConst { Value: 1 }) => a,
        _ => new IndexBinary(IndexOp.Div, a, b),
    };

    /// <summary>a mod b for a ≥ 0, b &gt; 0.</summary>
    public static Expr Rem(Expr a, Expr b) => (a, b) switch
    {
        (IndexConst x, IndexConst y) => Const(x.Value % y.Value),
        (_, IndexConst { Value: 1 }) => Const(0),
        _ => new IndexBinary(IndexOp.Rem, a, b),
    };

    /// <summary>min(a, b)</summary>
    public static Expr Min(Expr a, Expr b) => (a, b) switch
    {
        (IndexConst x, IndexConst y) => Const(Math.Min(x.Value, y.Value)),
        _ => new IndexBinary(IndexOp.Min, a, b),
    };

    /// <summary>max(a, b)</summary>
    public static Expr Max(Expr a, Expr b) => (a, b) switch
    {
        (IndexConst x, IndexConst y) => Const(Math.Max(x.Value, y.Value)),
        _ => new IndexBinary(IndexOp.Max, a, b),
    };

    /// <summary>
    /// Whether <paramref name="index"/> is at least 0 whatever its loop variables (which count up
    /// from 0) and symbols (sizes) are: built from them and constants ≥ 0 by sums, products,
    /// quotients, remainders, minima and maxima. A difference is not known to be.
    /// </summary>
    public static bool IsNonNegative(Expr index) => index switch
    {
        IndexConst c => c.Value >= 0,
        LoopVar or SymbolValue => true,
        IndexBinary { Op: IndexOp.Max } b => IsNonNegative(b.Left) || IsNonNegative(b.Right),
        IndexBinary { Op: IndexOp.Add or IndexOp.Mul or IndexOp.Div or IndexOp.Rem or IndexOp.Min } b => IsNonNegative(b.Left) && IsNonNegative(b.Right),
        _ => false,
    };

    /// <summary>a clamped into [0, size − 1], so that a speculated load never leaves its buffer.</summary>
    public static Expr Clamp(Expr a, Expr size) => Min(Max(a, Const(0)), Sub(size, Const(1)));

    /// <summary>The row-major linear position of <paramref name="indices"/> in a box of <paramref name="sizes"/>.</summary>
    public static Expr Linearize(IReadOnlyList<Expr> indices, IReadOnlyList<Expr> sizes)
    {
        Expr linear = Const(0);
        for (var i = 0; i < indices.Count; i++)
        {
            linear = Add(Mul(linear, sizes[i]), indices[i]);
        }
        return linear;
    }

    /// <summary>The indices of row-major position <paramref name="linear"/> in a box of <paramref name="sizes"/>.</summary>
    public static Expr[] Delinearize(Expr linear, IReadOnlyList<Expr> sizes)
    {
        var indices = new Expr[sizes.Count];
        for (var i = sizes.Count - 1; i >= 0; i--)
        {
            indices[i] = i == 0 ? linear : Rem(linear, sizes[i]);
            linear = Div(linear, sizes[i]);
        }
        return indices;
    }

    private static int IndexOf(IReadOnlyList<string> symbols, string symbol)
    {
        for (var i = 0; i < symbols.Count; i++)
        {
            if (symbols[i] == symbol)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"dimension '{symbol}' is not a symbol of the program");
    }
}
