using System.Globalization;

namespace ModelC.Data.Synthetic;

/// <summary>
/// The option values of one spec, checked against its <see cref="SyntheticDataSetKind"/>:
/// typed getters that fall back to the defaults and name the set and option when a value is wrong.
/// </summary>
public sealed class SyntheticOptions
{
    private readonly SyntheticDataSetKind _kind;
    private readonly Dictionary<string, string> _values;

    /// <summary>Options of <paramref name="kind"/> from <c>key=value</c> pairs (keys matched ignoring case).</summary>
    /// <exception cref="FormatException">An option the set does not have, or one given twice.</exception>
    public SyntheticOptions(SyntheticDataSetKind kind, IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(values);
        _kind = kind;
        _values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values)
        {
            var option = kind.Options.FirstOrDefault(o => string.Equals(o.Name, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException(kind.Options.IsEmpty
                    ? $"{kind.Name} has no option '{key}'; it takes none"
                    : $"{kind.Name} has no option '{key}'; its options: {string.Join(", ", kind.Options)}");
            if (!_values.TryAdd(option.Name, value))
            {
                throw new FormatException($"{kind.Name}: option '{option.Name}' is given twice");
            }
        }
    }

    /// <summary>An integer option, at least <paramref name="minimum"/>.</summary>
    public int Integer(string name, int minimum)
    {
        var text = Value(name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw Invalid(name, text, $"an integer ≥ {minimum}");
    }

    /// <summary>A real option, at least <paramref name="minimum"/>.</summary>
    public double Real(string name, double minimum)
    {
        var text = Value(name);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= minimum && double.IsFinite(value)
            ? value
            : throw Invalid(name, text, $"a number ≥ {minimum.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>A choice among <paramref name="allowed"/> (matched ignoring case), returned as spelled there.</summary>
    public string Choice(string name, params string[] allowed)
    {
        var text = Value(name);
        return allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase))
            ?? throw Invalid(name, text, string.Join(" or ", allowed));
    }

    private string Value(string name)
    {
        var option = _kind.Options.Single(o => o.Name == name);
        return _values.TryGetValue(option.Name, out var value) ? value.Trim() : option.Default;
    }

    private FormatException Invalid(string name, string text, string expected) =>
        new($"{_kind.Name}: {name} must be {expected}, not '{text}'");
}
