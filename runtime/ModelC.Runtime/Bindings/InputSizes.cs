using System.Collections.Immutable;
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
/// <remarks>Made once per program; <see cref="Infer"/> allocates nothing, so that the span overloads of the generated class do not.</remarks>
internal sealed class InputSizes
{
    private readonly ImmutableArray<string> _symbols;
    private readonly SymbolBindings _bounds;
    private readonly Dictionary<string, (int Symbol, long FixedPart)> _determined = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sizes = new(StringComparer.Ordinal);

    /// <summary>Reads from <paramref name="pass"/>'s manifest which input determines which symbol.</summary>
    public InputSizes(ModelInstance pass)
    {
        var manifest = pass.Manifest;
        _symbols = manifest.Symbols;
        _bounds = pass.Bounds;
        foreach (var input in manifest.TensorsOf(TensorRole.Input))
        {
            var shape = manifest.Buffers[input.Buffer].Shape;
            var symbols = shape.Where(_symbols.Contains).ToList();
            if (symbols.Count == 1)
            {
                var fixedPart = shape.Where(d => !_symbols.Contains(d)).Aggregate(1L, (p, d) => checked(p * long.Parse(d, CultureInfo.InvariantCulture)));
                _determined[input.Name] = (_symbols.IndexOf(symbols[0]), fixedPart);
            }
        }
    }

    /// <summary>A value for each symbol, from the lengths of <paramref name="inputs"/>, each at most its bound; valid until the next call.</summary>
    public IReadOnlyDictionary<string, int> Infer(ReadOnlySpan<(string Name, int Length)> inputs)
    {
        foreach (var symbol in _symbols)
        {
            _sizes[symbol] = checked((int)_bounds[symbol]);
        }
        Span<bool> decided = stackalloc bool[_symbols.Length];
        foreach (var (name, length) in inputs)
        {
            if (!_determined.TryGetValue(name, out var determined) || decided[determined.Symbol])
            {
                continue;
            }
            decided[determined.Symbol] = true;
            var symbol = _symbols[determined.Symbol];
            if (determined.FixedPart > 0 && length % determined.FixedPart == 0 && length / determined.FixedPart is var size && size >= 1 && size <= _bounds[symbol])
            {
                _sizes[symbol] = (int)size;
            }
        }
        return _sizes;
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
