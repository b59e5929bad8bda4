using System.Globalization;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Bindings;

/// <summary>
/// The sizes of a model's symbolic dimensions that the lengths of the caller's inputs give. A
/// symbol that is the only one in an input's shape, and appears there once, is that input's
/// length over the product of its fixed dimensions: 7 × 784 values for <c>x: f32[B, 784]</c>
/// give <c>B</c> = 7. A symbol that no input determines, or whose quotient is not a whole number
/// from 1 to its bound, keeps its bound, and the length check then reports the expected shape.
/// </summary>
internal static class InputSizes
{
    /// <summary>A value for each symbol of <paramref name="manifest"/>, from the lengths of <paramref name="inputs"/>, each at most its bound.</summary>
    public static Dictionary<string, int> Infer(ModelManifest manifest, SymbolBindings bounds, ReadOnlySpan<(string Name, int Length)> inputs)
    {
        var sizes = manifest.Symbols.ToDictionary(s => s, s => checked((int)bounds[s]), StringComparer.Ordinal);
        var decided = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, length) in inputs)
        {
            if (manifest.Tensors.FirstOrDefault(t => t.Name == name) is not { } tensor)
            {
                continue;
            }
            var shape = manifest.Buffers[tensor.Buffer].Shape;
            var symbols = shape.Where(manifest.Symbols.Contains).ToList();
            if (symbols.Count != 1 || !decided.Add(symbols[0]))
            {
                continue;
            }
            var fixedPart = shape.Where(d => !manifest.Symbols.Contains(d)).Aggregate(1L, (p, d) => checked(p * long.Parse(d, CultureInfo.InvariantCulture)));
            if (fixedPart > 0 && length % fixedPart == 0 && length / fixedPart is var size && size >= 1 && size <= bounds[symbols[0]])
            {
                sizes[symbols[0]] = (int)size;
            }
        }
        return sizes;
    }

    /// <summary>The message for <paramref name="got"/> values where tensor <paramref name="name"/> of <paramref name="pass"/> needs another number.</summary>
    public static string Mismatch(ModelInstance pass, string name, int got)
    {
        var shape = pass.ShapeOf(name);
        var count = shape.Aggregate(1L, (p, d) => p * d);
        var declared = pass.Manifest.Buffers[pass.Manifest.Tensors.First(t => t.Name == name).Buffer].Shape;
        var symbols = declared.Where(pass.Manifest.Symbols.Contains).Distinct().ToList();
        var range = symbols.Count == 0 ? ""
            : $"; [{string.Join(", ", declared)}] for {string.Join(" and ", symbols.Select(s => $"{s} from 1 to {pass.Bounds[s].ToString(CultureInfo.InvariantCulture)}"))}";
        return string.Create(CultureInfo.InvariantCulture, $"{name} of model {pass.Manifest.Name} holds {count} values ([{string.Join(", ", shape)}]{range}); got {got}");
    }
}
