using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Syntax;

namespace ModelC.Compiler.Semantics.Symbols;

/// <summary>Turns a written parameter type (<c>int</c>, <c>float[]</c>) into a <see cref="ParameterType"/>.</summary>
internal static class TypeResolver
{
    /// <summary>The type, or null when the name is not a parameter type or has dimensions.</summary>
    public static ParameterType? Resolve(TypeSyntax syntax)
    {
        if (syntax.Dimensions is { } dims && !dims.IsEmpty)
        {
            return null;
        }
        return ParameterType.FromName(syntax.Name.Name, isList: syntax.Dimensions is not null);
    }
}
