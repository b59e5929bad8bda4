namespace ModelC.Compiler.Text;

/// <summary>A half-open range of characters <c>[Start, Start + Length)</c> in a <see cref="SourceText"/>.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    /// <summary>The first character after the span.</summary>
    public int End => Start + Length;

    /// <summary>A span covering <paramref name="start"/> up to (not including) <paramref name="end"/>.</summary>
    public static TextSpan FromBounds(int start, int end) => new(start, Math.Max(0, end - start));

    /// <summary>The smallest span that covers both spans.</summary>
    public TextSpan Cover(TextSpan other) => FromBounds(Math.Min(Start, other.Start), Math.Max(End, other.End));

    /// <inheritdoc/>
    public override string ToString() => $"[{Start}..{End})";
}
