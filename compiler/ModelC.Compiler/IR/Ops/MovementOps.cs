using System.Collections.Immutable;
using ModelC.Runtime;

namespace ModelC.Compiler.IR.Ops;

/// <summary>
/// Re-views the elements (row-major) under a new shape with the same element count. Symbolic
/// dimensions must stay whole: the fixed dimensions between them regroup, the symbols do not move.
/// </summary>
public sealed record ReshapeOp(Shape Target) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "reshape";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Injective;

    /// <inheritdoc/>
    public override string FormatAttributes() => Target.ToString();

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        if (!Compatible(inputs[0].Shape, Target))
        {
            Fail($"cannot reshape {inputs[0].Shape} to {Target}");
        }
        return inputs[0].WithShape(Target);
    }

    /// <summary>True when <paramref name="from"/> can be re-viewed as <paramref name="to"/>.</summary>
    public static bool Compatible(Shape from, Shape to)
    {
        var a = Segments(from);
        var b = Segments(to);
        return a.Symbols.SequenceEqual(b.Symbols) && a.Products.SequenceEqual(b.Products);
    }

    // Splits a shape at its symbolic dims: the symbols in order, and the fixed product between them.
    private static (List<string> Symbols, List<long> Products) Segments(Shape shape)
    {
        var symbols = new List<string>();
        var products = new List<long> { 1 };
        foreach (var dim in shape.Dims)
        {
            if (dim.Symbol is { } symbol)
            {
                symbols.Add(symbol);
                products.Add(1);
            }
            else
            {
                products[^1] *= dim.FixedSize;
            }
        }
        return (symbols, products);
    }
}

/// <summary>Reorders axes: output axis i is input axis <c>Permutation[i]</c>.</summary>
public sealed record PermuteOp(ImmutableArray<int> Permutation) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "permute";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Injective;

    /// <inheritdoc/>
    public bool Equals(PermuteOp? other) => other is not null && AttributeEquality.Equal(Permutation, other.Permutation);

    /// <inheritdoc/>
    public override int GetHashCode() => AttributeEquality.Hash(Permutation);

    /// <inheritdoc/>
    public override string FormatAttributes() => Ints(Permutation);

    /// <summary>The permutation that undoes this one.</summary>
    public ImmutableArray<int> Inverse()
    {
        var inverse = new int[Permutation.Length];
        for (var i = 0; i < Permutation.Length; i++)
        {
            inverse[Permutation[i]] = i;
        }
        return [.. inverse];
    }

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var rank = inputs[0].Rank;
        if (Permutation.Length != rank || !Permutation.Order().SequenceEqual(Enumerable.Range(0, rank)))
        {
            Fail($"[{Ints(Permutation)}] is not a permutation of {rank} axes");
        }
        return inputs[0].WithShape(Shape.Of(Permutation.Select(p => inputs[0].Shape[p])));
    }
}

/// <summary>
/// Expands to <see cref="Target"/>: input axis i becomes output axis <c>Axes[i]</c> (equal size,
/// or size 1 stretched); the other output axes are new and repeat the data.
/// </summary>
public sealed record BroadcastOp(Shape Target, ImmutableArray<int> Axes) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "broadcast";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Broadcast;

    /// <inheritdoc/>
    public override bool ReadsInputRepeatedly(int index, IReadOnlyList<TensorType> inputs, TensorType result) =>
        inputs[index].Shape != result.Shape;

    /// <inheritdoc/>
    public bool Equals(BroadcastOp? other) => other is not null && Target == other.Target && AttributeEquality.Equal(Axes, other.Axes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Target, AttributeEquality.Hash(Axes));

    /// <inheritdoc/>
    public override string FormatAttributes() => $"{Target}, axes=[{Ints(Axes)}]";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var shape = inputs[0].Shape;
        if (Axes.Length != shape.Rank)
        {
            Fail($"{Axes.Length} axes for an input of rank {shape.Rank}");
        }
        for (var i = 0; i < Axes.Length; i++)
        {
            var valid = Axes[i] >= 0 && Axes[i] < Target.Rank && (i == 0 || Axes[i] > Axes[i - 1])
                && (shape[i] == Target[Axes[i]] || shape[i] == Dim.Of(1));
            if (!valid)
            {
                Fail($"cannot broadcast {shape} to {Target} along [{Ints(Axes)}]");
            }
        }
        return inputs[0].WithShape(Target);
    }
}

/// <summary>One axis's range for <see cref="SliceOp"/>: elements <c>[Start, End)</c>.</summary>
public readonly record struct AxisRange(int Axis, int Start, int End);

/// <summary>Keeps a contiguous range along some axes; other axes are kept whole.</summary>
public sealed record SliceOp(ImmutableArray<AxisRange> Ranges) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "slice";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Injective;

    /// <inheritdoc/>
    public bool Equals(SliceOp? other) => other is not null && AttributeEquality.Equal(Ranges, other.Ranges);

    /// <inheritdoc/>
    public override int GetHashCode() => AttributeEquality.Hash(Ranges);

    /// <inheritdoc/>
    public override string FormatAttributes() =>
        string.Join(", ", Ranges.Select(r => $"{r.Axis}:{r.Start}..{r.End}"));

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var shape = inputs[0].Shape;
        foreach (var range in Ranges)
        {
            ExpectFixedAxis(shape, range.Axis);
            if (range.Start < 0 || range.End > shape[range.Axis].FixedSize || range.Start >= range.End)
            {
                Fail($"range {range.Start}..{range.End} invalid for axis {range.Axis} of {shape}");
            }
            shape = shape.With(range.Axis, range.End - range.Start);
        }
        return inputs[0].WithShape(shape);
    }
}

/// <summary>One axis's padding for <see cref="PadOp"/>.</summary>
public readonly record struct AxisPadding(int Axis, int Low, int High);

/// <summary>Pads axes with a constant on both sides (other boundary modes lower to slices and concats).</summary>
public sealed record PadOp(ImmutableArray<AxisPadding> Padding, double Value) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "pad";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Injective;

    /// <inheritdoc/>
    public override bool SelectsPerElement => true;

    /// <inheritdoc/>
    public bool Equals(PadOp? other) =>
        other is not null && AttributeEquality.Equal(Padding, other.Padding) && AttributeEquality.SameBits(Value, other.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(AttributeEquality.Hash(Padding), BitConverter.DoubleToInt64Bits(Value));

    /// <inheritdoc/>
    public override string FormatAttributes() =>
        string.Join(", ", Padding.Select(p => $"{p.Axis}:{p.Low}+{p.High}")) + $", value={Text.NumberText.Format(Value)}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var shape = inputs[0].Shape;
        foreach (var pad in Padding)
        {
            ExpectFixedAxis(shape, pad.Axis);
            if (pad.Low < 0 || pad.High < 0)
            {
                Fail("negative padding");
            }
            var padded = (long)shape[pad.Axis].FixedSize + pad.Low + pad.High;
            if (padded > int.MaxValue)
            {
                Fail($"padding axis {pad.Axis} of {shape} exceeds {int.MaxValue}");
            }
            shape = shape.With(pad.Axis, (int)padded);
        }
        return inputs[0].WithShape(shape);
    }
}

/// <summary>Joins tensors along one fixed axis; the other dimensions must agree.</summary>
public sealed record ConcatOp(int Axis) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "concat";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Injective;

    /// <inheritdoc/>
    public override bool SelectsPerElement => true;

    /// <inheritdoc/>
    public override string FormatAttributes() => Ints([Axis]);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        if (inputs.Count < 1)
        {
            Fail("needs at least one input");
        }
        var first = inputs[0];
        ExpectFixedAxis(first.Shape, Axis);
        var total = 0;
        foreach (var input in inputs)
        {
            if (input.ElementType != first.ElementType || input.Rank != first.Rank
                || input.Shape.Dims.Where((d, i) => i != Axis && d != first.Shape[i]).Any())
            {
                Fail($"cannot concatenate {first} and {input} along axis {Axis}");
            }
            ExpectFixedAxis(input.Shape, Axis);
            total += input.Shape[Axis].FixedSize;
        }
        return first.WithShape(first.Shape.With(Axis, total));
    }
}

/// <summary>Reverses the order of elements along some axes.</summary>
public sealed record ReverseOp(ImmutableArray<int> Axes) : Op
{
    /// <inheritdoc/>
    public override string Mnemonic => "reverse";

    /// <inheritdoc/>
    public override FusionPattern FusionPattern => FusionPattern.Injective;

    /// <inheritdoc/>
    public bool Equals(ReverseOp? other) => other is not null && AttributeEquality.Equal(Axes, other.Axes);

    /// <inheritdoc/>
    public override int GetHashCode() => AttributeEquality.Hash(Axes);

    /// <inheritdoc/>
    public override string FormatAttributes() => Ints(Axes);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        CheckAxes(Axes, inputs[0].Rank);
        return inputs[0];
    }
}
