using System.Collections.Immutable;

namespace ModelC.Compiler.IR.Ops;

/// <summary>How a reduction combines elements.</summary>
public enum ReduceKind
{
    /// <summary>Σ</summary>
    Sum,

    /// <summary>max</summary>
    Max,
}

/// <summary>
/// Reduces over <see cref="Axes"/>, which disappear from the shape. With
/// <see cref="StopsGradient"/>, reverse mode treats the result as a constant: softmax's shift by
/// the maximum, whose gradient is exactly zero mathematically, so that the backward pass does
/// not compute it (the mask of maxima, their count and the sums that would cancel).
/// </summary>
/// <param name="Kind">How elements combine.</param>
/// <param name="Axes">The axes reduced over.</param>
/// <param name="StopsGradient">No gradient flows through the result to the input.</param>
public sealed record ReduceOp(ReduceKind Kind, ImmutableArray<int> Axes, bool StopsGradient = false) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "reduce_" + Kind.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Reduction;

    /// <inheritdoc/>
    public bool Equals(ReduceOp? other) => other is not null && Kind == other.Kind && AttributeEquality.Equal(Axes, other.Axes) && StopsGradient == other.StopsGradient;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, AttributeEquality.Hash(Axes), StopsGradient);

    /// <inheritdoc/>
    public override string FormatAttributes() => StopsGradient ? Ints(Axes) + ", stop_gradient" : Ints(Axes);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0]);
        var axes = CheckAxes(Axes, inputs[0].Rank);
        return inputs[0].WithShape(Shape.Of(inputs[0].Shape.Dims.Where((_, i) => !axes.Contains(i))));
    }
}
