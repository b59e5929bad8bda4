using System.Collections.Immutable;
using System.Globalization;

namespace ModelC.Runtime.Execution;

/// <summary>Values for a model's symbolic dimensions, and shapes resolved under them.</summary>
public sealed class SymbolBindings
{
    private readonly Dictionary<string, long> _values;

    /// <summary>Binds every symbol in <paramref name="symbols"/> from <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">A symbol has no value, or a value is below 1.</exception>
    public SymbolBindings(ImmutableArray<string> symbols, IReadOnlyDictionary<string, int> values)
    {
        _values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            if (!values.TryGetValue(symbol, out var value))
            {
                throw new ArgumentException($"the model needs a value for its dimension '{symbol}'", nameof(values));
            }
            if (value < 1)
            {
                throw new ArgumentException($"dimension '{symbol}' must be at least 1, got {value}", nameof(values));
            }
            _values[symbol] = value;
        }
        Ordered = [.. symbols.Select(s => _values[s])];
    }

    /// <summary>The values in the manifest's symbol order, as kernels receive them.</summary>
    public ImmutableArray<long> Ordered { get; }

    /// <summary>The value of <paramref name="symbol"/>.</summary>
    /// <exception cref="KeyNotFoundException">The model has no such symbol.</exception>
    public long this[string symbol] => _values.TryGetValue(symbol, out var value) ? value
        : throw new KeyNotFoundException($"the model has no dimension '{symbol}'");

    /// <summary>One dimension: a decimal size or a bound symbol.</summary>
    public long Resolve(string dim) =>
        long.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size
        : _values.TryGetValue(dim, out var value) ? value
        : throw new InvalidDataException($"the manifest uses dimension '{dim}', which is not one of its symbols");

    /// <summary>A shape's dimensions.</summary>
    public long[] Resolve(IEnumerable<string> shape) => [.. shape.Select(Resolve)];
}
