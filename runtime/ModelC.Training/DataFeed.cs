using System.Collections.Immutable;
using ModelC.Data;
using ModelC.Runtime;
using ModelC.Runtime.Data;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Training;

/// <summary>
/// The inputs of a model that a data set feeds — every input but an excluded one (a train step's
/// learning rate), each with the batch as its leading dimension, each fed by the data set's array
/// of the same name. Checks a data set against them and copies batches of samples in.
/// </summary>
public sealed class DataFeed
{
    private readonly ImmutableArray<FedInput> _inputs;

    private readonly string _model;

    private DataFeed(string model, ImmutableArray<FedInput> inputs, int batchSize)
    {
        _model = model;
        _inputs = inputs;
        BatchSize = batchSize;
    }

    /// <summary>The names of the inputs fed, in the model's order.</summary>
    public IEnumerable<string> Names => _inputs.Select(i => i.Name);

    /// <summary>The samples per batch of the model the feed was made for (the inputs' leading dimension).</summary>
    public int BatchSize { get; }

    /// <summary>The inputs of <paramref name="model"/> other than <paramref name="excluded"/>.</summary>
    /// <exception cref="InvalidOperationException">An input has no leading batch dimension, the inputs' batch sizes differ, or there is no input to feed.</exception>
    public static DataFeed Of(ModelInstance model, string? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var inputs = ImmutableArray.CreateBuilder<FedInput>();
        foreach (var input in model.Manifest.TensorsOf(TensorRole.Input).Where(t => t.Name != excluded))
        {
            var buffer = model.Manifest.Buffers[input.Buffer];
            if (buffer.Shape.Length == 0 || !model.Manifest.Symbols.Contains(buffer.Shape[0]))
            {
                throw new InvalidOperationException($"input '{input.Name}' has no batch dimension first ([{string.Join(", ", buffer.Shape)}]), so a data set cannot feed it");
            }
            var shape = model.ShapeOf(input.Name);
            inputs.Add(new FedInput(input.Name, buffer.Type, (int)shape[0], [.. shape.Skip(1)], input.IndexBound));
        }
        if (inputs.Count == 0)
        {
            throw new InvalidOperationException($"model {model.Manifest.Name} has no input for a data set to feed");
        }
        if (inputs.Any(i => i.Batch != inputs[0].Batch))
        {
            throw new InvalidOperationException(
                $"the inputs of model {model.Manifest.Name} have different batch sizes ({string.Join(", ", inputs.Select(i => $"{i.Name}: {i.Batch}"))})");
        }
        return new DataFeed(model.Manifest.Name, inputs.ToImmutable(), inputs[0].Batch);
    }

    /// <summary>
    /// <paramref name="data"/> made fit to feed the inputs: integer inputs given as whole-valued
    /// floats (a CSV's label column) become integers. Every sample of an input used as class labels
    /// or gather indices is checked against its range, once, so that no step runs on a value the
    /// kernels would silently miss or clamp.
    /// </summary>
    /// <param name="data">The data set.</param>
    /// <param name="description">What the data set is, for messages ("the training data").</param>
    /// <exception cref="InvalidOperationException">An input is missing, its samples have another shape or type, or a label or index is out of range (the message says which).</exception>
    public Dataset Check(Dataset data, string description)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var (name, type, _, sample, indexBound) in _inputs)
        {
            if (!data.Contains(name))
            {
                throw new InvalidOperationException(
                    $"{description} has no array '{name}' for the model's input {name}: {Describe(type, sample)}; it has {string.Join(", ", data.Names.Select(n => $"'{n}' {Describe(data[n].Type, [.. data[n].Shape.Skip(1).Select(d => (long)d)])}"))}");
            }
            var array = data[name];
            if (!array.Shape.Skip(1).Select(d => (long)d).SequenceEqual(sample))
            {
                throw new InvalidOperationException($"{description}: samples of '{name}' are [{string.Join(", ", array.Shape.Skip(1))}], the model's input takes [{string.Join(", ", sample)}]");
            }
            if (array.Type == ElementType.F32 && type == ElementType.I32)
            {
                data = Replace(data, name, ToIntegers(array, name, description));
            }
            else if (array.Type != type)
            {
                throw new InvalidOperationException($"{description}: '{name}' holds {array.Type.ToString().ToLowerInvariant()}, the model's input takes {type.ToString().ToLowerInvariant()}");
            }
            if (indexBound is { } bound)
            {
                CheckRange(data[name], name, bound, description);
            }
        }
        return data;
    }

    /// <summary>
    /// Copies the samples <paramref name="indices"/> of <paramref name="data"/> (checked by
    /// <see cref="Check"/>) into the inputs of <paramref name="model"/>, whose batch holds that many.
    /// </summary>
    public void Feed(ModelInstance model, Dataset data, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        foreach (var input in _inputs)
        {
            switch (input.Type)
            {
                case ElementType.F32:
                    data.Gather(indices, input.Name, model.Floats(input.Name));
                    break;
                case ElementType.I32:
                    data.Gather(indices, input.Name, model.Ints(input.Name));
                    break;
                case ElementType.Bool:
                    data.Gather(indices, input.Name, model.Bytes(input.Name));
                    break;
                default:
                    throw new InvalidOperationException($"input '{input.Name}' has element type {input.Type}, which a data set cannot feed");
            }
        }
    }

    private void CheckRange(DataArray array, string name, int bound, string description)
    {
        var values = array.Ints;
        var outside = IndexRange.FirstOutside(values, bound);
        if (outside >= 0)
        {
            long[] shape = [.. array.Shape.Select(d => (long)d)];
            throw new InvalidOperationException($"{description}: {IndexRange.Describe(_model, name, shape, outside, values[outside], bound)}");
        }
    }

    private static Dataset Replace(Dataset data, string name, DataArray array) =>
        new(data.Names.Select(n => (n, n == name ? array : data[n])));

    private static DataArray ToIntegers(DataArray array, string name, string description)
    {
        var floats = array.Floats;
        var ints = new int[floats.Length];
        for (var i = 0; i < floats.Length; i++)
        {
            if (floats[i] != MathF.Round(floats[i]) || Math.Abs(floats[i]) > int.MaxValue / 2)
            {
                throw new InvalidOperationException($"{description}: '{name}' feeds an integer input but holds {floats[i]} at element {i}");
            }
            ints[i] = (int)floats[i];
        }
        return DataArray.Of(ints, [.. array.Shape]);
    }

    private static string Describe(ElementType type, long[] sample) =>
        $"{type.ToString().ToLowerInvariant()}[B{string.Concat(sample.Select(d => $", {d}"))}]";

    /// <summary>One input: its name, element type, batch size, the shape of one sample and, for labels or indices, the end of their range.</summary>
    private readonly record struct FedInput(string Name, ElementType Type, int Batch, long[] Sample, int? IndexBound);
}
