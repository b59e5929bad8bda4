using System.Globalization;
using System.Numerics.Tensors;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Bindings;

/// <summary>
/// The shape checks and conversions of the generated classes' tensor overloads: an input's shape
/// against its declared one (a symbolic dimension any size from 1 to its bound, the same size
/// wherever the symbol appears), its values as one row-major span, and an output as a tensor of
/// the shape the pass ran with.
/// </summary>
internal static class TensorArguments
{
    /// <summary>
    /// The values of <paramref name="tensor"/> in row-major order, after checking its shape against
    /// input <paramref name="name"/> of <paramref name="pass"/>. A dense span is read in place; any
    /// other (strided, broadcast or sliced) is copied.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is not the input's: the message names the input, the expected and the actual shape.</exception>
    public static ReadOnlySpan<T> Flatten<T>(ModelInstance pass, string name, ReadOnlyTensorSpan<T> tensor)
    {
        CheckShape(pass, name, tensor.Lengths);
        if (tensor.FlattenedLength == 0)
        {
            return [];
        }
        if (tensor.IsDense)
        {
            Span<nint> origin = stackalloc nint[tensor.Rank];
            return tensor.GetSpan(origin, checked((int)tensor.FlattenedLength));
        }
        var copy = new T[tensor.FlattenedLength];
        tensor.FlattenTo(copy);
        return copy;
    }

    /// <summary>A tensor over <paramref name="values"/> with the shape output <paramref name="name"/> had in the last run of <paramref name="pass"/>.</summary>
    public static Tensor<T> Shaped<T>(ModelInstance pass, string name, T[] values)
    {
        var shape = pass.ShapeOf(name);
        Span<nint> lengths = stackalloc nint[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            lengths[i] = checked((nint)shape[i]);
        }
        return Tensor.Create(values, lengths);
    }

    private static void CheckShape(ModelInstance pass, string name, ReadOnlySpan<nint> lengths)
    {
        var manifest = pass.Manifest;
        var declared = manifest.Buffers[manifest.Tensors.First(t => t.Name == name).Buffer].Shape;
        var matches = lengths.Length == declared.Length;
        Span<long> symbolSizes = stackalloc long[manifest.Symbols.Length];
        for (var i = 0; matches && i < declared.Length; i++)
        {
            var symbol = manifest.Symbols.IndexOf(declared[i]);
            if (symbol < 0)
            {
                // A dimension that is neither a symbol nor a number is left to the length check.
                matches = !long.TryParse(declared[i], CultureInfo.InvariantCulture, out var size) || size == lengths[i];
            }
            else
            {
                matches = lengths[i] >= 1 && lengths[i] <= pass.Bounds[declared[i]] && (symbolSizes[symbol] == 0 || symbolSizes[symbol] == lengths[i]);
                symbolSizes[symbol] = lengths[i];
            }
        }
        if (!matches)
        {
            throw new ArgumentException(Mismatch(pass, name, declared, lengths), name);
        }
    }

    private static string Mismatch(ModelInstance pass, string name, IReadOnlyList<string> declared, ReadOnlySpan<nint> lengths)
    {
        var symbols = declared.Where(pass.Manifest.Symbols.Contains).Distinct().ToList();
        var range = symbols.Count == 0 ? ""
            : $" for {string.Join(" and ", symbols.Select(s => $"{s} from 1 to {pass.Bounds[s].ToString(CultureInfo.InvariantCulture)}"))}";
        var actual = new List<string>(lengths.Length);
        foreach (var length in lengths)
        {
            actual.Add(length.ToString(CultureInfo.InvariantCulture));
        }
        return $"input {name} of model {pass.Manifest.Name} has shape [{string.Join(", ", declared)}]{range}; got a tensor of shape [{string.Join(", ", actual)}]";
    }
}
