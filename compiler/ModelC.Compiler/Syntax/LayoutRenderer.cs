using System.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>
/// Lays a <see cref="Layout"/> out within a line width: each group, outermost first, goes on one
/// line when it and the text after it up to the next possible break fit, and breaks otherwise.
/// Text longer than the width (a long name or string) overflows; it is never cut.
/// </summary>
internal static class LayoutRenderer
{
    /// <summary>Columns per level of indentation.</summary>
    public const int IndentWidth = 4;

    private readonly record struct Entry(int Indent, bool Flat, Layout Layout);

    /// <summary>
    /// Appends <paramref name="layout"/> to <paramref name="output"/>, whose last line already
    /// holds <paramref name="column"/> characters; line breaks indent <paramref name="indent"/> columns.
    /// </summary>
    public static void Render(StringBuilder output, Layout layout, int indent, int column, int width)
    {
        var stack = new Stack<Entry>();
        stack.Push(new Entry(indent, Flat: false, layout));
        while (stack.TryPop(out var entry))
        {
            switch (entry.Layout)
            {
                case Layout.Text text:
                    output.Append(text.Value);
                    column += text.Value.Length;
                    break;
                case Layout.Line line when entry.Flat:
                    output.Append(line.Flat);
                    column += line.Flat.Length;
                    break;
                case Layout.Line:
                    output.Append('\n').Append(' ', entry.Indent);
                    column = entry.Indent;
                    break;
                case Layout.Sequence sequence:
                    for (var i = sequence.Parts.Length - 1; i >= 0; i--)
                    {
                        stack.Push(entry with { Layout = sequence.Parts[i] });
                    }
                    break;
                case Layout.Nest nest:
                    stack.Push(new Entry(entry.Indent + nest.Indent, entry.Flat, nest.Content));
                    break;
                case Layout.Group group:
                    var flat = entry.Flat || Fits(width - column, entry with { Flat = true, Layout = group.Content }, stack);
                    stack.Push(entry with { Flat = flat, Layout = group.Content });
                    break;
                case Layout.IfBroken choice:
                    stack.Push(entry with { Layout = entry.Flat ? choice.Flat : choice.Broken });
                    break;
                default:
                    throw new InvalidOperationException($"unknown layout {entry.Layout.GetType().Name}");
            }
        }
    }

    // Whether `next` laid out flat, then what follows it on the stack up to its first line
    // break, takes at most `remaining` columns. What follows keeps its own mode: a break there
    // ends the line, so the rest does not count.
    private static bool Fits(int remaining, Entry next, Stack<Entry> rest)
    {
        var pending = new Stack<Entry>();
        pending.Push(next);
        using var following = rest.GetEnumerator();
        while (remaining >= 0)
        {
            if (!pending.TryPop(out var entry))
            {
                if (!following.MoveNext())
                {
                    return true;
                }
                entry = following.Current;
            }
            switch (entry.Layout)
            {
                case Layout.Text text:
                    remaining -= text.Value.Length;
                    break;
                case Layout.Line line when entry.Flat:
                    remaining -= line.Flat.Length;
                    break;
                case Layout.Line:
                    return true;
                case Layout.Sequence sequence:
                    for (var i = sequence.Parts.Length - 1; i >= 0; i--)
                    {
                        pending.Push(entry with { Layout = sequence.Parts[i] });
                    }
                    break;
                case Layout.Nest nest:
                    pending.Push(entry with { Layout = nest.Content });
                    break;
                case Layout.Group group:
                    pending.Push(entry with { Layout = group.Content });
                    break;
                case Layout.IfBroken choice:
                    pending.Push(entry with { Layout = entry.Flat ? choice.Flat : choice.Broken });
                    break;
                default:
                    throw new InvalidOperationException($"unknown layout {entry.Layout.GetType().Name}");
            }
        }
        return false;
    }
}
