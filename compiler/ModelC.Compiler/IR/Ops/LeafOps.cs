using System.Globalization;
using ModelC.Compiler.Text;
using ModelC.Runtime;

namespace ModelC.Compiler.IR.Ops;

/// <summary>An op with no inputs whose type is part of the op.</summary>
public abstract record LeafOp(TensorType Type) : Op
{
    /// <inheritdoc/>
    public sealed override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        return Type;
    }
}

/// <summary>A model input, fed by the caller.</summary>
public sealed record InputOp(string Name, TensorType Type) : LeafOp(Type)
{
    /// <inheritdoc/>
    public override string Mnemonic => "input";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Opaque;

    /// <inheritdoc/>
    public override string FormatAttributes() => Name;
}

/// <summary>A trainable parameter with its initialisation.</summary>
public sealed record ParameterOp(string Name, TensorType Type, ParameterInit Init) : LeafOp(Type)
{
    /// <inheritdoc/>
    public override string Mnemonic => "param";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Opaque;

    /// <inheritdoc/>
    public override string FormatAttributes() => $"{Name}, {Init}";
}

/// <summary>A non-trainable tensor that persists across steps (BatchNorm running statistics).</summary>
public sealed record StateOp(string Name, TensorType Type, ParameterInit Init) : LeafOp(Type)
{
    /// <inheritdoc/>
    public override string Mnemonic => "state";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Opaque;

    /// <inheritdoc/>
    public override string FormatAttributes() => $"{Name}, {Init}";
}

/// <summary>A tensor of the given type with every element equal to <see cref="Value"/>.</summary>
public sealed record ConstantOp(double Value, TensorType Type) : LeafOp(Type)
{
    /// <inheritdoc/>
    public override string Mnemonic => "const";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Elementwise;

    /// <inheritdoc/>
    /// <remarks>By the value's bits: a −0 fill is not a 0 fill.</remarks>
    public bool Equals(ConstantOp? other) => other is not null && AttributeEquality.SameBits(Value, other.Value) && Type == other.Type;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(BitConverter.DoubleToInt64Bits(Value), Type);

    /// <inheritdoc/>
    public override string FormatAttributes() => NumberText.Format(Value);
}

/// <summary>A tensor whose elements are their own index along <see cref="Axis"/>.</summary>
public sealed record IotaOp(int Axis, TensorType Type) : LeafOp(Type)
{
    /// <inheritdoc/>
    public override string Mnemonic => "iota";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Elementwise;

    /// <inheritdoc/>
    public override string FormatAttributes() => Axis.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A scalar holding the run-time size of a symbolic dimension (e.g. the batch, for means).</summary>
public sealed record DimSizeOp(string Symbol) : LeafOp(new TensorType(ElementType.F32, Shape.Scalar))
{
    /// <inheritdoc/>
    public override string Mnemonic => "dimsize";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Elementwise;

    /// <inheritdoc/>
    public override string FormatAttributes() => Symbol;
}
