using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Kernels;

/// <summary>
/// A scalar expression evaluated once per iteration of a kernel's loop nest: loads at index
/// expressions, element arithmetic, and nested reductions. Fusion builds one expression per
/// kernel by inlining producers; emitters turn it into LLVM IR. Immutable.
/// </summary>
public abstract record Expr
{
    /// <summary>The value's type.</summary>
    public abstract ScalarType Type { get; }
}

/// <summary>A loop variable of the enclosing loop nest or reduction.</summary>
public sealed record LoopVar(int Id) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => ScalarType.Index;

    /// <inheritdoc/>
    public override string ToString() => $"i{Id}";
}

/// <summary>An index constant.</summary>
public sealed record IndexConst(long Value) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => ScalarType.Index;
}

/// <summary>The run-time value of symbolic dimension number <see cref="Symbol"/> (the batch).</summary>
public sealed record SymbolValue(int Symbol) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => ScalarType.Index;
}

/// <summary>Index arithmetic.</summary>
public enum IndexOp
{
    /// <summary>a + b</summary>
    Add,

    /// <summary>a − b</summary>
    Sub,

    /// <summary>a · b</summary>
    Mul,

    /// <summary>a / b, for a ≥ 0 and b &gt; 0.</summary>
    Div,

    /// <summary>a mod b, for a ≥ 0 and b &gt; 0.</summary>
    Rem,

    /// <summary>min(a, b)</summary>
    Min,

    /// <summary>max(a, b)</summary>
    Max,
}

/// <summary>Two indices combined.</summary>
public sealed record IndexBinary(IndexOp Op, Expr Left, Expr Right) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => ScalarType.Index;
}

/// <summary>A constant of an element type (bool: 0 or 1).</summary>
public sealed record Constant(double Value, ScalarType ValueType) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => ValueType;
}

/// <summary>The element of <see cref="Buffer"/> at one index per axis.</summary>
public sealed record Load(KernelBuffer Buffer, ImmutableArray<Expr> Indices) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => Buffer.ScalarType;
}

/// <summary>A one-operand element function (f32 or i32).</summary>
public sealed record Unary(UnaryKind Kind, Expr Operand) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => Operand.Type;
}

/// <summary>A two-operand element function on operands of one type (f32 or i32).</summary>
public sealed record Binary(BinaryKind Kind, Expr Left, Expr Right) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => Left.Type;
}

/// <summary>A comparison of two operands of one type (any), giving a bool.</summary>
public sealed record Compare(CompareKind Kind, Expr Left, Expr Right) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => ScalarType.Bool;
}

/// <summary><c>condition ? then : otherwise</c>.</summary>
public sealed record Select(Expr Condition, Expr Then, Expr Otherwise) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => Then.Type;
}

/// <summary>A conversion with the IR's cast semantics (to i32: truncate, saturate, NaN → 0; to bool: nonzero).</summary>
public sealed record Cast(ScalarType To, Expr Operand) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => To;
}

/// <summary>
/// A reduction nested in an expression: <see cref="Body"/> combined over every value of
/// <see cref="Vars"/> (each from 0 to its extent), in order, starting from 0 (sum) or −∞ (max).
/// </summary>
public sealed record Reduce(ReduceKind Kind, ImmutableArray<LoopVar> Vars, ImmutableArray<Expr> Extents, Expr Body) : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => ScalarType.F32;
}

/// <summary>In a GEMM kernel's epilogue, the accumulated dot product for the current element.</summary>
public sealed record Accumulator : Expr
{
    /// <inheritdoc/>
    public override ScalarType Type => ScalarType.F32;
}
