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

/// <summary>Reduces over <see cref="Axes"/>, which disappear from the shape.</summary>
public sealed record ReduceOp(ReduceKind Kind, ImmutableArray<int> Axes) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "reduce_" + Kind.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Reduction;

    /// <inheritdoc/>
    public bool Equals(ReduceOp? other) => other is not null && Kind == other.Kind && AttributeEquality.Equal(Axes, other.Axes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, AttributeEquality.Hash(Axes));

    /// <inheritdoc/>
    public override string FormatAttributes() => Ints(Axes);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0]);
        var axes = CheckAxes(Axes, inputs[0].Rank);
        return inputs[0].WithShape(Shape.Of(inputs[0].Shape.Dims.Where((_, i) => !axes.Contains(i))));
    }
}
