using System.Globalization;
using ModelC.Compiler.Semantics.Builtins;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Cli;

/// <summary>Parses <c>-D name=value</c> settings of model parameters.</summary>
internal static class ModelArguments
{
    public static bool TryParse(IEnumerable<string> definitions, out IReadOnlyDictionary<string, Value> arguments, out string? problem)
    {
        var parsed = new Dictionary<string, Value>();
        arguments = parsed;
        problem = null;
        foreach (var definition in definitions)
        {
            var equals = definition.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problem = $"-D needs name=value, got '{definition}'";
                return false;
            }
            var (name, text) = (definition[..equals].Trim(), definition[(equals + 1)..].Trim());
            if (Parse(text) is not { } value)
            {
                problem = $"cannot read the value of '{name}': '{text}' is not an int, float, bool or padding mode";
                return false;
            }
            parsed[name] = value;
        }
        return true;
    }

    private static Value? Parse(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return new IntValue(integer);
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return new FloatValue(real);
        }
        return text switch
        {
            "true" => new BoolValue(true),
            "false" => new BoolValue(false),
            _ => BuiltinRegistry.Constants.GetValueOrDefault(text),
        };
    }
}
