using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>Value checks shared by built-in parameters; each returns a complaint or null.</summary>
internal static class Checks
{
    public static string? Positive(Value value) => value switch
    {
        IntValue { Value: <= 0 } i => $"must be positive, got {i.Display}",
        FloatValue { Value: <= 0 } f => $"must be positive, got {f.Display}",
        _ => null,
    };

    public static string? NonNegative(Value value) => value switch
    {
        IntValue { Value: < 0 } i => $"must not be negative, got {i.Display}",
        FloatValue { Value: < 0 } f => $"must not be negative, got {f.Display}",
        _ => null,
    };

    public static string? Fraction(Value value) =>
        value is FloatValue { Value: < 0 or > 1 } f ? $"must be between 0 and 1, got {f.Display}" : null;
}
