using System.Collections.Immutable;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// Text with optional line breaks, in the style of Wadler's "prettier printer": a
/// <see cref="Group"/> is laid out on one line when it fits and otherwise breaks every
/// <see cref="Line"/> it directly holds. <see cref="LayoutRenderer"/> chooses.
/// </summary>
internal abstract record Layout
{
    /// <summary>Nothing.</summary>
    public static readonly Layout Empty = new Text("");

    /// <summary>A space on one line; a line break when the group breaks.</summary>
    public static readonly Line Space = new(" ");

    /// <summary>Nothing on one line; a line break when the group breaks.</summary>
    public static readonly Line SoftBreak = new("");

    /// <summary>Literal text without line breaks.</summary>
    public sealed record Text(string Value) : Layout;

    /// <summary><see cref="Flat"/> when its group is on one line, else a line break to the current indentation.</summary>
    public sealed record Line(string Flat) : Layout;

    /// <summary>Its parts, one after another.</summary>
    public sealed record Sequence(ImmutableArray<Layout> Parts) : Layout;

    /// <summary>Line breaks inside <see cref="Content"/> indent <see cref="Indent"/> more columns.</summary>
    public sealed record Nest(int Indent, Layout Content) : Layout;

    /// <summary>The unit of the one-line-or-not decision.</summary>
    public sealed record Group(Layout Content) : Layout;

    /// <summary><see cref="Broken"/> when the enclosing group breaks, else <see cref="Flat"/>.</summary>
    public sealed record IfBroken(Layout Broken, Layout Flat) : Layout;

    /// <summary>Text.</summary>
    public static implicit operator Layout(string text) => new Text(text);

    /// <summary>Its parts, one after another.</summary>
    public static Layout Concat(params ReadOnlySpan<Layout> parts) => new Sequence([.. parts]);

    /// <summary><paramref name="items"/> with <paramref name="separator"/> between them.</summary>
    public static Layout Join(Layout separator, IEnumerable<Layout> items)
    {
        var parts = ImmutableArray.CreateBuilder<Layout>();
        foreach (var item in items)
        {
            if (parts.Count > 0)
            {
                parts.Add(separator);
            }
            parts.Add(item);
        }
        return new Sequence(parts.ToImmutable());
    }

    /// <summary>
    /// <c>open items close</c> on one line, or each item on a line of its own, indented, with
    /// <paramref name="close"/> back at the start's indentation: arguments, lists, parameters.
    /// <paramref name="padding"/> (<see cref="SoftBreak"/> or <see cref="Space"/>) stands inside the brackets.
    /// </summary>
    public static Layout Bracketed(string open, IReadOnlyCollection<Layout> items, string close, Line padding)
    {
        if (items.Count == 0)
        {
            return open + close;
        }
        var inner = Join(Concat(",", Space), items);
        return new Group(Concat(open, new Nest(LayoutRenderer.IndentWidth, Concat(padding, inner)), padding, close));
    }
}
