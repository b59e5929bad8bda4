using System.Collections.Immutable;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Manifest;

namespace ModelC.Data;

/// <summary>
/// Named arrays whose leading dimension counts the same samples — inputs and targets side by
/// side, e.g. <c>f</c> and <c>u</c> of shape <c>[N, 1, n, n]</c> — with splitting, seeded
/// batching and copying of selected samples into a model's input buffers.
/// </summary>
/// <remarks>Immutable: <see cref="Split(int, ulong?)"/>, <see cref="Select"/> and <see cref="Rename"/> return new data sets.</remarks>
public sealed class Dataset
{
    private readonly Dictionary<string, DataArray> _arrays;

    /// <summary>A data set over <paramref name="arrays"/> (not copied), in the given order.</summary>
    /// <exception cref="ArgumentException">No arrays, a repeated name, a scalar array, or sample counts that differ.</exception>
    public Dataset(params IEnumerable<(string Name, DataArray Array)> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var list = arrays.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("a data set needs at least one array", nameof(arrays));
        }
        _arrays = new Dictionary<string, DataArray>(StringComparer.Ordinal);
        foreach (var (name, array) in list)
        {
            ArgumentNullException.ThrowIfNull(array);
            if (array.Shape.Length == 0)
            {
                throw new ArgumentException($"array '{name}' is a scalar; a data set's arrays need a leading sample dimension", nameof(arrays));
            }
            if (!_arrays.TryAdd(name, array))
            {
                throw new ArgumentException($"array '{name}' appears twice in the data set", nameof(arrays));
            }
        }
        if (list.Select(a => a.Array.Shape[0]).Distinct().Count() > 1)
        {
            var counts = string.Join(", ", list.Select(a => $"'{a.Name}' has {a.Array.Shape[0]}"));
            throw new ArgumentException($"the arrays of a data set must hold the same number of samples (leading dimension): {counts}", nameof(arrays));
        }
        Names = [.. list.Select(a => a.Name)];
        Count = list[0].Array.Shape[0];
    }

    /// <summary>The array names, in the order given.</summary>
    public ImmutableArray<string> Names { get; }

    /// <summary>The number of samples (the shared leading dimension).</summary>
    public int Count { get; }

    /// <summary>The array called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such array; the message lists those there are.</exception>
    public DataArray this[string name] => _arrays.TryGetValue(name, out var array)
        ? array
        : throw new KeyNotFoundException($"the data set has no array '{name}'; it has {string.Join(", ", Names)}");

    /// <summary>Whether an array is called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _arrays.ContainsKey(name);

    /// <summary>The elements of one sample of an array: the product of its dimensions after the first.</summary>
    public int SampleSize(string name)
    {
        var array = this[name];
        return Count == 0 ? array.Shape.Skip(1).Aggregate(1, (p, d) => p * d) : (int)(array.Count / Count);
    }

    /// <summary>The same arrays with one renamed, e.g. a generator's <c>target</c> to the model's input name.</summary>
    public Dataset Rename(string from, string to)
    {
        _ = this[from];
        if (from != to && Contains(to))
        {
            throw new ArgumentException($"cannot rename '{from}' to '{to}': the data set already has an array '{to}'", nameof(to));
        }
        return new Dataset(Names.Select(n => (n == from ? to : n, _arrays[n])));
    }

    /// <summary>A new data set of the samples at <paramref name="indices"/>, in that order (copied).</summary>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        var selected = new List<(string, DataArray)>(Names.Length);
        foreach (var name in Names)
        {
            var array = _arrays[name];
            var shape = array.Shape.ToArray();
            shape[0] = indices.Length;
            var size = SampleSize(name);
            selected.Add((name, array.Type switch
            {
                ElementType.F32 => DataArray.Of(GatherNew(array.Floats, indices, size), shape),
                ElementType.I32 => DataArray.Of(GatherNew(array.Ints, indices, size), shape),
                _ => DataArray.Of(GatherNew(array.Bytes, indices, size), shape),
            }));
        }
        return new Dataset(selected);
    }

    /// <summary>Divides the samples into training and validation sets.</summary>
    /// <param name="validationFraction">The share held out for validation, in [0, 1]; the count is rounded to the nearest sample.</param>
    /// <param name="shuffleSeed">
    /// Null: the last samples are held out (synthetic samples are independent, so that is a fair
    /// draw). A seed: a seeded random choice, for files whose rows may be ordered. Either way each
    /// part keeps the original order of its samples.
    /// </param>
    public DatasetSplit Split(double validationFraction, ulong? shuffleSeed = null)
    {
        if (!(validationFraction >= 0 && validationFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "the validation fraction must lie in [0, 1]");
        }
        return Split((int)Math.Round(validationFraction * Count, MidpointRounding.AwayFromZero), shuffleSeed);
    }

    /// <summary>Divides the samples into training and validation sets.</summary>
    /// <param name="validationCount">How many samples to hold out for validation, in [0, <see cref="Count"/>].</param>
    /// <param name="shuffleSeed">Null: the last samples are held out; a seed: a seeded random choice (see <see cref="Split(double, ulong?)"/>).</param>
    public DatasetSplit Split(int validationCount, ulong? shuffleSeed = null)
    {
        if (validationCount < 0 || validationCount > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(validationCount), validationCount, $"the validation count must lie in [0, {Count}]");
        }
        var order = shuffleSeed is { } seed
            ? SampleOrder.Permutation(Count, seed, epoch: 0)
            : Enumerable.Range(0, Count).ToArray();
        var trainCount = Count - validationCount;
        // Sorting each part keeps the samples in their original order, whatever chose them.
        Array.Sort(order, 0, trainCount);
        Array.Sort(order, trainCount, validationCount);
        return new DatasetSplit(Select(order.AsSpan(0, trainCount)), Select(order.AsSpan(trainCount)));
    }

    /// <summary>How many batches <see cref="Batches"/> yields per epoch.</summary>
    public int BatchCount(int batchSize, LastBatch lastBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return lastBatch == LastBatch.Drop ? Count / batchSize : (Count + batchSize - 1) / batchSize;
    }

    /// <summary>The sample indices of each batch of one epoch.</summary>
    /// <param name="batchSize">Samples per batch (≥ 1).</param>
    /// <param name="shuffleSeed">Null: the samples in order; a seed: a seeded shuffle (<see cref="SampleOrder.Permutation"/>).</param>
    /// <param name="lastBatch">What to do with a remainder smaller than <paramref name="batchSize"/>.</param>
    /// <param name="epoch">The epoch number, mixed into the seed so that each epoch has its own order.</param>
    public IEnumerable<int[]> Batches(int batchSize, ulong? shuffleSeed, LastBatch lastBatch, int epoch = 0)
    {
        var batches = BatchCount(batchSize, lastBatch);
        var order = shuffleSeed is { } seed
            ? SampleOrder.Permutation(Count, seed, epoch)
            : Enumerable.Range(0, Count).ToArray();
        return Enumerate(order, batchSize, batches);

        static IEnumerable<int[]> Enumerate(int[] order, int batchSize, int batches)
        {
            for (var b = 0; b < batches; b++)
            {
                var start = b * batchSize;
                yield return order[start..Math.Min(start + batchSize, order.Length)];
            }
        }
    }

    /// <summary>Copies the samples at <paramref name="indices"/> of a float32 array, row after row, into <paramref name="destination"/>.</summary>
    /// <remarks>
    /// <paramref name="destination"/> must hold exactly <c>indices.Length × SampleSize(name)</c>
    /// elements; slice a full-batch buffer for a smaller last batch.
    /// </remarks>
    public void Gather(ReadOnlySpan<int> indices, string name, Span<float> destination) =>
        GatherInto(RequireType(name, ElementType.F32).Floats, indices, name, destination);

    /// <summary>Copies the samples at <paramref name="indices"/> of an int32 array into <paramref name="destination"/> (see the float overload).</summary>
    public void Gather(ReadOnlySpan<int> indices, string name, Span<int> destination) =>
        GatherInto(RequireType(name, ElementType.I32).Ints, indices, name, destination);

    /// <summary>Copies the samples at <paramref name="indices"/> of a bool array into <paramref name="destination"/> (see the float overload).</summary>
    public void Gather(ReadOnlySpan<int> indices, string name, Span<byte> destination) =>
        GatherInto(RequireType(name, ElementType.Bool).Bytes, indices, name, destination);

    private DataArray RequireType(string name, ElementType type)
    {
        var array = this[name];
        if (array.Type != type)
        {
            throw new ArgumentException(
                $"array '{name}' holds {array.Type.ToString().ToLowerInvariant()}, not {type.ToString().ToLowerInvariant()}", nameof(name));
        }
        return array;
    }

    private void GatherInto<T>(T[] source, ReadOnlySpan<int> indices, string name, Span<T> destination)
    {
        var size = SampleSize(name);
        if (destination.Length != (long)indices.Length * size)
        {
            throw new ArgumentException(
                $"{indices.Length} samples of '{name}' ({size} elements each) need {(long)indices.Length * size} elements; the destination holds {destination.Length}",
                nameof(destination));
        }
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"sample index {index} is outside the data set's {Count} samples");
            }
            source.AsSpan(index * size, size).CopyTo(destination.Slice(i * size, size));
        }
    }

    private T[] GatherNew<T>(T[] source, ReadOnlySpan<int> indices, int size)
    {
        var result = new T[indices.Length * size];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"sample index {index} is outside the data set's {Count} samples");
            }
            source.AsSpan(index * size, size).CopyTo(result.AsSpan(i * size, size));
        }
        return result;
    }
}
