using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Binding;

/// <summary>
/// One declared parameter: its name and type, whether it may be omitted, and whether it
/// collects the remaining positional arguments (<c>permute(0, 2, 1)</c>).
/// </summary>
public sealed record ParameterSpec(string Name, ParameterType Type, bool HasDefault, bool IsVariadic = false)
{
    /// <summary>True for tensor parameters, which are the callable's inputs rather than configuration.</summary>
    public bool IsInput => Type.Kind == ParameterKind.Tensor;

    /// <summary>The signature form, e.g. <c>k: int = …</c>.</summary>
    public override string ToString() =>
        $"{Name}: {(IsVariadic ? Type with { IsList = false } : Type)}{(IsVariadic ? "..." : "")}{(HasDefault && !IsVariadic ? " = …" : "")}";
}
