namespace ModelC.Compiler.Text;

/// <summary>A span inside a particular source file.</summary>
public sealed record Location(SourceText Source, TextSpan Span)
{
    /// <summary>The 1-based position of the span's first character.</summary>
    public LinePosition Start => Source.GetLinePosition(Span.Start);

    /// <summary><c>path:line:col</c>, the prefix of a diagnostic line.</summary>
    public override string ToString() => $"{Source.Path}:{Start}";
}
