using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// A dense row-major tensor of doubles in host memory: the value type of the
/// <see cref="ReferenceInterpreter"/>. Every element type is stored as a double — i32 values are
/// exact integers, bool values are 0 or 1 — because the element type is a property of the graph
/// node, not of the value. Instances are never modified after construction: the factories copy
/// what they are given and <see cref="Data"/> is read-only.
/// </summary>
public sealed class HostTensor
{
    private readonly double[] _data;

    private HostTensor(ImmutableArray<int> shape, double[] data)
    {
        Shape = shape;
        _data = data;
    }

    /// <summary>The size of each axis, outermost first; empty for a scalar.</summary>
    public ImmutableArray<int> Shape { get; }

    /// <summary>The number of axes.</summary>
    public int Rank => Shape.Length;

    /// <summary>The number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public int Length => _data.Length;

    /// <summary>The elements in row-major order (last axis fastest).</summary>
    public ReadOnlySpan<double> Data => _data;

    /// <summary>The backing array, for the op implementations in this assembly, which must not write to it.</summary>
    internal double[] Buffer => _data;

    /// <summary>A tensor of the given shape holding a copy of <paramref name="data"/> (row-major).</summary>
    /// <exception cref="ArgumentException">A size is negative or the element count does not match the shape.</exception>
    public static HostTensor Create(IReadOnlyList<int> shape, IReadOnlyList<double> data)
    {
        var dims = CheckShape(shape);
        var count = ElementCount(dims);
        if (data.Count != count)
        {
            throw new ArgumentException(
                $"shape {FormatShape(dims)} holds {count} element(s) but {data.Count} were given", nameof(data));
        }
        return new HostTensor(dims, [.. data]);
    }

    /// <summary>A rank-0 tensor.</summary>
    public static HostTensor Scalar(double value) => new([], [value]);

    /// <summary>A rank-1 tensor holding a copy of <paramref name="values"/>.</summary>
    public static HostTensor Vector(params double[] values) => new([values.Length], [.. values]);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static HostTensor Filled(IReadOnlyList<int> shape, double value)
    {
        var dims = CheckShape(shape);
        var data = new double[ElementCount(dims)];
        Array.Fill(data, value);
        return new HostTensor(dims, data);
    }

    /// <summary>A tensor of zeros.</summary>
    public static HostTensor Zeros(IReadOnlyList<int> shape) => Filled(shape, 0.0);

    /// <summary>
    /// A tensor whose element at each multi-index is <paramref name="element"/>(index). The index
    /// array is reused between calls; copy it if it must be kept.
    /// </summary>
    public static HostTensor FromFunction(IReadOnlyList<int> shape, Func<int[], double> element)
    {
        var dims = CheckShape(shape);
        var data = new double[ElementCount(dims)];
        var index = new int[dims.Length];
        for (var flat = 0; flat < data.Length; flat++)
        {
            data[flat] = element(index);
            TensorLayout.Advance(index, dims);
        }
        return new HostTensor(dims, data);
    }

    /// <summary>Takes ownership of <paramref name="data"/> without copying; the caller must not keep writing to it.</summary>
    internal static HostTensor Wrap(ImmutableArray<int> shape, double[] data)
    {
        if (ElementCount(shape) != data.Length)
        {
            throw new InvalidOperationException($"shape {FormatShape(shape)} does not hold {data.Length} element(s)");
        }
        return new HostTensor(shape, data);
    }

    /// <summary>The element at a multi-index (one coordinate per axis).</summary>
    /// <exception cref="ArgumentException">The index has the wrong rank or a coordinate is out of range.</exception>
    public double At(params int[] index)
    {
        if (index.Length != Rank)
        {
            throw new ArgumentException($"index of rank {index.Length} for a tensor of shape {FormatShape(Shape)}", nameof(index));
        }
        var offset = 0;
        for (var axis = 0; axis < Rank; axis++)
        {
            if ((uint)index[axis] >= (uint)Shape[axis])
            {
                throw new ArgumentException($"index [{string.Join(",", index)}] out of range for shape {FormatShape(Shape)}", nameof(index));
            }
            offset = offset * Shape[axis] + index[axis];
        }
        return _data[offset];
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public double[] ToArray() => [.. _data];

    /// <summary>The product of the sizes (1 for a scalar); throws on overflow.</summary>
    public static int ElementCount(IReadOnlyList<int> shape)
    {
        var count = 1;
        foreach (var size in shape)
        {
            count = checked(count * size);
        }
        return count;
    }

    /// <summary>Formats a concrete shape the way the IR prints shapes, e.g. <c>[2,3]</c>.</summary>
    public static string FormatShape(IEnumerable<int> shape) =>
        "[" + string.Join(",", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>The shape and up to the first eight elements, e.g. <c>[2,2] {1, 2, 3, 4}</c>.</summary>
    public override string ToString()
    {
        const int Shown = 8;
        var text = new StringBuilder(FormatShape(Shape)).Append(" {");
        text.AppendJoin(", ", _data.Take(Shown).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        if (_data.Length > Shown)
        {
            text.Append(", …");
        }
        return text.Append('}').ToString();
    }

    private static ImmutableArray<int> CheckShape(IReadOnlyList<int> shape)
    {
        if (shape.Any(s => s < 0))
        {
            throw new ArgumentException($"negative size in shape {FormatShape(shape)}", nameof(shape));
        }
        return [.. shape];
    }
}
