using System.Collections.Immutable;

namespace ModelC.Compiler.IR;

/// <summary>An immutable list of dimensions with value equality.</summary>
public sealed class Shape : IEquatable<Shape>
{
    /// <summary>The shape of a scalar.</summary>
    public static readonly Shape Scalar = new([]);

    /// <summary>Creates a shape from its dimensions.</summary>
    public Shape(ImmutableArray<Dim> dims) => Dims = dims;

    /// <summary>The dimensions, outermost first.</summary>
    public ImmutableArray<Dim> Dims { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Dims.Length;

    /// <summary>One dimension.</summary>
    public Dim this[int axis] => Dims[axis];

    /// <summary>True when every dimension is fixed.</summary>
    public bool IsFixed => Dims.All(d => d.IsFixed);

    /// <summary>A shape of fixed dimensions.</summary>
    public static Shape Of(params int[] sizes) => new([.. sizes.Select(Dim.Of)]);

    /// <summary>A shape from dimensions.</summary>
    public static Shape Of(IEnumerable<Dim> dims) => new([.. dims]);

    /// <summary>The product of the fixed dimensions (symbolic ones count as 1).</summary>
    public long FixedElementCount => Dims.Where(d => d.IsFixed).Aggregate(1L, (n, d) => n * d.FixedSize);

    /// <summary>The concrete sizes under a binding of the symbolic dimensions.</summary>
    public int[] Resolve(IReadOnlyDictionary<string, int> bindings) => [.. Dims.Select(d => d.Resolve(bindings))];

    /// <summary>Normalises a possibly negative axis (−1 is the last) or returns null if out of range.</summary>
    public int? NormalizeAxis(int axis)
    {
        var normalized = axis < 0 ? axis + Rank : axis;
        return normalized >= 0 && normalized < Rank ? normalized : null;
    }

    /// <summary>This shape with one dimension replaced.</summary>
    public Shape With(int axis, Dim dim) => new(Dims.SetItem(axis, dim));

    /// <inheritdoc/>
    public bool Equals(Shape? other) => other is not null && Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var dim in Dims)
        {
            hash.Add(dim);
        }
        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary><c>[B,784]</c></summary>
    public override string ToString() => $"[{string.Join(",", Dims)}]";
}
