using ModelC.Runtime;

namespace ModelC.Compiler.IR.Ops;

/// <summary>The one-input elementwise functions.</summary>
public enum UnaryKind
{
    /// <summary>−x</summary>
    Neg,

    /// <summary>eˣ</summary>
    Exp,

    /// <summary>ln x</summary>
    Log,

    /// <summary>√x</summary>
    Sqrt,

    /// <summary>1/x</summary>
    Reciprocal,

    /// <summary>tanh x</summary>
    Tanh,

    /// <summary>The error function.</summary>
    Erf,

    /// <summary>sin x</summary>
    Sin,

    /// <summary>cos x</summary>
    Cos,

    /// <summary>|x|</summary>
    Abs,

    /// <summary>−1, 0 or 1.</summary>
    Sign,
}

/// <summary>The two-input elementwise functions; operands have equal types (broadcast first).</summary>
public enum BinaryKind
{
    /// <summary>a + b</summary>
    Add,

    /// <summary>a − b</summary>
    Sub,

    /// <summary>a · b</summary>
    Mul,

    /// <summary>a / b</summary>
    Div,

    /// <summary>max(a, b)</summary>
    Max,

    /// <summary>min(a, b)</summary>
    Min,

    /// <summary>aᵇ</summary>
    Pow,
}

/// <summary>Comparisons; the result is <see cref="ElementType.Bool"/>.</summary>
public enum CompareKind
{
    /// <summary>a = b</summary>
    Eq,

    /// <summary>a ≠ b</summary>
    Ne,

    /// <summary>a &lt; b</summary>
    Lt,

    /// <summary>a ≤ b</summary>
    Le,

    /// <summary>a &gt; b</summary>
    Gt,

    /// <summary>a ≥ b</summary>
    Ge,
}

/// <summary>Applies a function to each element.</summary>
public sealed record UnaryOp(UnaryKind Kind) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => Kind.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Elementwise;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        if (inputs[0].ElementType == ElementType.Bool || (inputs[0].ElementType == ElementType.I32 && !Kind.IsDefinedOnIntegers()))
        {
            Fail($"not defined for {inputs[0]}");
        }
        return inputs[0];
    }
}

/// <summary>Combines two tensors of the same type element by element.</summary>
public sealed record BinaryOp(BinaryKind Kind) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => Kind.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Elementwise;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        if (inputs[0] != inputs[1])
        {
            Fail($"operands differ: {inputs[0]} and {inputs[1]}");
        }
        if (inputs[0].ElementType == ElementType.Bool)
        {
            Fail("not defined for bool");
        }
        return inputs[0];
    }
}

/// <summary>Compares two tensors of the same type element by element.</summary>
public sealed record CompareOp(CompareKind Kind) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "cmp" + Kind.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Elementwise;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        if (inputs[0] != inputs[1])
        {
            Fail($"operands differ: {inputs[0]} and {inputs[1]}");
        }
        return new TensorType(ElementType.Bool, inputs[0].Shape);
    }
}

/// <summary><c>select(cond, a, b)</c>: a where cond holds, else b.</summary>
public sealed record SelectOp : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "select";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Elementwise;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 3);
        if (inputs[0] != new TensorType(ElementType.Bool, inputs[1].Shape) || inputs[1] != inputs[2])
        {
            Fail($"needs bool condition and equal branches, got {inputs[0]}, {inputs[1]}, {inputs[2]}");
        }
        return inputs[1];
    }
}

/// <summary>Converts the element type.</summary>
public sealed record CastOp(ElementType To) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "cast";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Elementwise;

    /// <inheritdoc/>
    public override string FormatAttributes() => To.Name();

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        return new TensorType(To, inputs[0].Shape);
    }
}
