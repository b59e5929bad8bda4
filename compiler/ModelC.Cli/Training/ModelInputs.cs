using ModelC.Data;
using ModelC.Runtime.Data;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Cli.Training;

/// <summary>
/// The inputs a data set feeds: every input of the model but the learning rate, each with the
/// batch as its leading dimension. Checks a data set against them and copies batches in.
/// </summary>
internal sealed class ModelInputs
{
    private readonly List<(string Name, ElementType Type, long[] Sample)> _inputs;

    private ModelInputs(List<(string Name, ElementType Type, long[] Sample)> inputs) => _inputs = inputs;

    /// <summary>The inputs of <paramref name="model"/> other than <paramref name="excluded"/>.</summary>
    /// <exception cref="InvalidOperationException">An input has no leading batch dimension.</exception>
    public static ModelInputs Of(ModelInstance model, string? excluded)
    {
        var inputs = new List<(string, ElementType, long[])>();
        foreach (var input in model.Manifest.TensorsOf(TensorRole.Input).Where(t => t.Name != excluded))
        {
            var dims = model.Manifest.Buffers[input.Buffer].Shape;
            if (dims.Length == 0 || !model.Manifest.Symbols.Contains(dims[0]))
            {
                throw new InvalidOperationException($"input '{input.Name}' has no batch dimension first ([{string.Join(", ", dims)}]), so a data set cannot feed it");
            }
            inputs.Add((input.Name, model.Manifest.Buffers[input.Buffer].Type, [.. model.ShapeOf(input.Name).Skip(1)]));
        }
        return new ModelInputs(inputs);
    }

    /// <summary>
    /// <paramref name="data"/> made fit to feed the inputs: integer inputs given as whole-valued
    /// floats (a CSV's label column) become integers.
    /// </summary>
    /// <exception cref="InvalidOperationException">An input is missing or its samples have another shape or type (the message says which).</exception>
    public Dataset Check(Dataset data, string description)
    {
        foreach (var (name, type, sample) in _inputs)
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
        }
        return data;
    }

    /// <summary>Copies the samples <paramref name="indices"/> into the inputs of <paramref name="model"/> (a batch of that many).</summary>
    public void Feed(ModelInstance model, Dataset data, int[] indices)
    {
        foreach (var (name, type, _) in _inputs)
        {
            switch (type)
            {
                case ElementType.F32:
                    data.Gather(indices, name, model.Floats(name));
                    break;
                case ElementType.I32:
                    data.Gather(indices, name, model.Ints(name));
                    break;
                default:
                    data.Gather(indices, name, model.Bytes(name));
                    break;
            }
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
}
