namespace ModelC.Compiler.IR;

/// <summary>The element types of tensors. Compute is in <see cref="F32"/>; integers index and label.</summary>
public enum DType
{
    /// <summary>32-bit float.</summary>
    F32,

    /// <summary>32-bit signed integer (labels, token ids).</summary>
    I32,

    /// <summary>The result of comparisons, consumed by <c>select</c>.</summary>
    Bool,
}

/// <summary>Spelling of element types as the language writes them.</summary>
public static class DTypeNames
{
    /// <summary><c>f32</c>, <c>i32</c> or <c>bool</c>.</summary>
    public static string Name(this DType type) => type switch
    {
        DType.F32 => "f32",
        DType.I32 => "i32",
        _ => "bool",
    };

    /// <summary>Parses a type name as written in source, or null.</summary>
    public static DType? TryParse(string name) => name switch
    {
        "f32" => DType.F32,
        "i32" => DType.I32,
        "bool" => DType.Bool,
        _ => null,
    };
}
