using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Tests.Syntax;

/// <summary>
/// Compares syntax trees by structure: the same node types with the same values, spans
/// ignored. Works by reflection over the node records' properties, so a node or property added
/// later is compared without changing this file.
/// </summary>
internal static class SyntaxEquivalence
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    /// <summary>
    /// The first difference as <c>path: what</c>, or null when the trees are equivalent. With
    /// <paramref name="ignoreParentheses"/>, <c>(x)</c> counts as <c>x</c>.
    /// </summary>
    public static string? FirstDifference(object? expected, object? actual, bool ignoreParentheses = false) =>
        Compare(expected, actual, "root", ignoreParentheses);

    /// <summary>Asserts that the trees are equivalent, naming the first difference.</summary>
    public static void Equivalent(object? expected, object? actual, bool ignoreParentheses = false, string? context = null)
    {
        var difference = FirstDifference(expected, actual, ignoreParentheses);
        Assert.True(difference is null, $"{context}{(context is null ? "" : ": ")}the trees differ at {difference}");
    }

    /// <summary><paramref name="node"/> with every <see cref="ParenthesizedSyntax"/> above it removed.</summary>
    public static object? Unwrap(object? node)
    {
        while (node is ParenthesizedSyntax paren)
        {
            node = paren.Inner;
        }
        return node;
    }

    /// <summary><paramref name="node"/> and every node below it, parents first.</summary>
    public static IEnumerable<SyntaxNode> Descendants(SyntaxNode node)
    {
        yield return node;
        foreach (var property in Properties.GetOrAdd(node.GetType(), NodeProperties))
        {
            var value = property.GetValue(node);
            var children = value is SyntaxNode child ? [child] : value is IEnumerable items and not string ? items.OfType<SyntaxNode>() : [];
            foreach (var descendant in children.SelectMany(Descendants))
            {
                yield return descendant;
            }
        }
    }

    private static string? Compare(object? expected, object? actual, string path, bool ignoreParentheses)
    {
        if (ignoreParentheses)
        {
            (expected, actual) = (Unwrap(expected), Unwrap(actual));
        }
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : $"{path}: {Show(expected)} vs {Show(actual)}";
        }
        if (expected.GetType() != actual.GetType())
        {
            return $"{path}: {expected.GetType().Name} vs {actual.GetType().Name}";
        }
        switch (expected)
        {
            case string or bool or long or int or Enum:
                return expected.Equals(actual) ? null : $"{path}: {Show(expected)} vs {Show(actual)}";
            case double number:
                // Bit for bit: -0.0 and 0.0 are different literals.
                return BitConverter.DoubleToInt64Bits(number) == BitConverter.DoubleToInt64Bits((double)actual)
                    ? null
                    : $"{path}: {number:R} vs {(double)actual:R}";
            case IEnumerable sequence:
                var left = sequence.Cast<object?>().ToList();
                var right = ((IEnumerable)actual).Cast<object?>().ToList();
                if (left.Count != right.Count)
                {
                    return $"{path}: {left.Count} items vs {right.Count}";
                }
                for (var i = 0; i < left.Count; i++)
                {
                    if (Compare(left[i], right[i], $"{path}[{i}]", ignoreParentheses) is { } difference)
                    {
                        return difference;
                    }
                }
                return null;
            case SyntaxNode:
                foreach (var property in Properties.GetOrAdd(expected.GetType(), NodeProperties))
                {
                    if (Compare(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}", ignoreParentheses) is { } difference)
                    {
                        return difference;
                    }
                }
                return null;
            default:
                throw new ArgumentException($"{path}: cannot compare a {expected.GetType().Name}");
        }
    }

    // The public properties a node is built from, except spans and those computed from others.
    private static PropertyInfo[] NodeProperties(Type type) =>
    [
        .. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType != typeof(TextSpan) && p.DeclaringType != typeof(object) && p.Name != "EqualityContract")
            .Where(p => p.SetMethod is not null)
            .OrderBy(p => p.MetadataToken),
    ];

    private static string Show(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        IdentifierSyntax identifier => identifier.Name,
        _ => value.ToString() ?? value.GetType().Name,
    };
}
