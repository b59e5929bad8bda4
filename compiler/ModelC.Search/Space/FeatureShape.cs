using System.Collections.Immutable;

namespace ModelC.Search.Space;

/// <summary>The grid an <c>im2col</c> made, which a later <c>col2im</c> restores.</summary>
/// <param name="Height">Rows of patches.</param>
/// <param name="Width">Columns of patches.</param>
public readonly record struct PatchGrid(int Height, int Width);

/// <summary>
/// The shape of a feature tensor without its batch dimension, as the sampler propagates it:
/// rank 3 is einspace's image mode (C, H, W), rank 2 its token mode (S, D). In token mode the
/// grid of the last <c>im2col</c> travels along, so that <c>col2im</c> can be offered.
/// </summary>
public sealed class FeatureShape : IEquatable<FeatureShape>
{
    /// <summary>A shape of the given dimensions (batch excluded).</summary>
    /// <exception cref="ArgumentException">A dimension is not positive.</exception>
    public FeatureShape(IEnumerable<int> dims, PatchGrid? grid = null)
    {
        Dims = [.. dims];
        if (Dims.IsEmpty || Dims.Any(d => d < 1))
        {
            throw new ArgumentException($"a feature shape needs positive dimensions, got ({string.Join(", ", Dims)})", nameof(dims));
        }
        Grid = grid;
    }

    /// <summary>The dimensions after the batch.</summary>
    public ImmutableArray<int> Dims { get; }

    /// <summary>The patch grid of the last <c>im2col</c>, in token mode; null when there is none.</summary>
    public PatchGrid? Grid { get; }

    /// <summary>The number of dimensions after the batch.</summary>
    public int Rank => Dims.Length;

    /// <summary>Image mode: (C, H, W).</summary>
    public bool IsImage => Rank == 3;

    /// <summary>Token mode: (S, D).</summary>
    public bool IsTokens => Rank == 2;

    /// <summary>The last dimension, which <c>linear</c> maps.</summary>
    public int Features => Dims[^1];

    /// <summary>Elements per sample.</summary>
    public long Elements => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>Dimension <paramref name="dim"/> in the language's numbering (1 is the first after the batch).</summary>
    public int this[int dim] => Dims[dim - 1];

    /// <summary>This shape with dimension <paramref name="dim"/> (language numbering) set to <paramref name="size"/>.</summary>
    public FeatureShape With(int dim, int size) => new(Dims.SetItem(dim - 1, size), Grid);

    /// <summary>This shape with another grid.</summary>
    public FeatureShape WithGrid(PatchGrid? grid) => new(Dims, grid);

    /// <summary>Whether the dimensions are equal (the grid aside).</summary>
    public bool SameDims(FeatureShape other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public bool Equals(FeatureShape? other) => other is not null && SameDims(other) && Grid == other.Grid;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FeatureShape);

    /// <inheritdoc/>
    public override int GetHashCode() => Dims.Aggregate(Grid.GetHashCode(), HashCode.Combine);

    /// <summary>The shape as the documentation writes it, with the batch: <c>(B, 1, 8, 8)</c>.</summary>
    public override string ToString() => $"(B, {string.Join(", ", Dims)})";
}
