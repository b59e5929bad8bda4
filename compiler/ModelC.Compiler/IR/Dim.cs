using System.Globalization;

namespace ModelC.Compiler.IR;

/// <summary>
/// One dimension of a shape: a fixed size, or a symbol bound at load time (the batch).
/// </summary>
public readonly record struct Dim
{
    private Dim(int size, string? symbol)
    {
        FixedSize = size;
        Symbol = symbol;
    }

    /// <summary>The name of a symbolic dimension, or null for a fixed one.</summary>
    public string? Symbol { get; }

    /// <summary>The size of a fixed dimension (0 for a symbolic one; check <see cref="IsFixed"/>).</summary>
    public int FixedSize { get; }

    /// <summary>True when the size is known at compile time.</summary>
    public bool IsFixed => Symbol is null;

    /// <summary>A fixed dimension.</summary>
    public static Dim Of(int size) => new(size, null);

    /// <summary>A symbolic dimension, such as the batch <c>B</c>.</summary>
    public static Dim Symbolic(string symbol) => new(0, symbol);

    /// <summary>The size under a binding of symbols to values.</summary>
    public int Resolve(IReadOnlyDictionary<string, int> bindings) =>
        Symbol is null ? FixedSize
        : bindings.TryGetValue(Symbol, out var value) ? value
        : throw new InvalidOperationException($"no value bound for dimension '{Symbol}'");

    /// <inheritdoc/>
    public override string ToString() => Symbol ?? FixedSize.ToString(CultureInfo.InvariantCulture);

    /// <summary>A fixed dimension from an int.</summary>
    public static implicit operator Dim(int size) => Of(size);
}
