using ModelC.Runtime;

namespace ModelC.Compiler.IR.Ops;

/// <summary>
/// <c>gather(table, indices)</c> along <see cref="Axis"/>: the axis is replaced by the indices'
/// shape, <c>out[a…, i…, b…] = table[a…, indices[i…], b…]</c> (an embedding lookup on axis 0).
/// Indices are clamped into range; the runtime refuses out-of-range indices fed by a model
/// input (<see cref="IndexBounds"/>).
/// </summary>
public sealed record GatherOp(int Axis) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "gather";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Injective;

    /// <inheritdoc/>
    /// <remarks>A table row is read once per index that names it.</remarks>
    public override bool ReadsInputRepeatedly(int index, IReadOnlyList<TensorType> inputs, TensorType result) => index == 0;

    /// <inheritdoc/>
    public override string FormatAttributes() => Ints([Axis]);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        var (table, indices) = (inputs[0], inputs[1]);
        ExpectFixedAxis(table.Shape, Axis);
        if (indices.ElementType != ElementType.I32)
        {
            Fail($"indices must be i32, got {indices}");
        }
        var dims = table.Shape.Dims.Take(Axis).Concat(indices.Shape.Dims).Concat(table.Shape.Dims.Skip(Axis + 1));
        return table.WithShape(Shape.Of(dims));
    }
}

/// <summary>
/// The adjoint of <see cref="GatherOp"/>: <c>scatter_add(updates, indices)</c> sums each update
/// into row <c>indices[i…]</c> of a zero tensor whose <see cref="Axis"/> has <see cref="Size"/> rows.
/// </summary>
public sealed record ScatterAddOp(int Axis, int Size) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "scatter_add";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Reduction;

    /// <inheritdoc/>
    /// <remarks>Every result row scans all updates and indices for the ones that land on it.</remarks>
    public override bool ReadsInputRepeatedly(int index, IReadOnlyList<TensorType> inputs, TensorType result) => true;

    /// <inheritdoc/>
    public override string FormatAttributes() => $"{Axis}, size={Size}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        var (updates, indices) = (inputs[0], inputs[1]);
        ExpectFloat(updates);
        var rank = indices.Rank;
        if (indices.ElementType != ElementType.I32 || Axis < 0 || Size < 1 || updates.Rank < Axis + rank
            || !updates.Shape.Dims.Skip(Axis).Take(rank).SequenceEqual(indices.Shape.Dims))
        {
            Fail($"cannot scatter {updates} by {indices} along axis {Axis}");
        }
        var dims = updates.Shape.Dims.Take(Axis).Append(Size).Concat(updates.Shape.Dims.Skip(Axis + rank));
        return updates.WithShape(Shape.Of(dims));
    }
}
