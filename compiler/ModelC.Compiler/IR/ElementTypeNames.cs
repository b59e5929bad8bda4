using ModelC.Runtime;

namespace ModelC.Compiler.IR;

/// <summary>Spelling of element types as the language writes them.</summary>
public static class ElementTypeNames
{
    /// <summary><c>f32</c>, <c>i32</c> or <c>bool</c>.</summary>
    public static string Name(this ElementType type) => type switch
    {
        ElementType.F32 => "f32",
        ElementType.I32 => "i32",
        ElementType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no spelling for this element type"),
    };

    /// <summary>Parses a type name as written in source, or null.</summary>
    public static ElementType? TryParse(string name) => name switch
    {
        "f32" => ElementType.F32,
        "i32" => ElementType.I32,
        "bool" => ElementType.Bool,
        _ => null,
    };
}
