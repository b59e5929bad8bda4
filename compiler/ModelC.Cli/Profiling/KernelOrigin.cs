namespace ModelC.Cli.Profiling;

/// <summary>
/// Where a kernel comes from, read from its manifest description (<c>%12 contract in
/// macaron_0.ffn_1.linear_0</c>, or <c>copy of %7 to 'w:next'</c>): the graph node it computes,
/// that node's op, and the layer scope the node was built in (null outside every layer: the
/// loss's inputs, the optimizer update). A multi-output kernel lists its results separated by
/// <c>", "</c> (<c>%115 select, %123 select</c>); its origin is its first result's.
/// </summary>
internal sealed record KernelOrigin(string Node, string Op, string? Scope)
{
    private const string ScopeSeparator = " in ";
    private const string CopyPrefix = "copy of ";
    private const string ResultSeparator = ", %";

    /// <summary>
    /// The origin a description states; a description in neither form is kept whole as the op,
    /// so a profile of a model built by another version still prints.
    /// </summary>
    public static KernelOrigin Parse(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (description.StartsWith(CopyPrefix, StringComparison.Ordinal))
        {
            return new KernelOrigin(description[CopyPrefix.Length..].Split(' ')[0], "copy", null);
        }
        var results = description.IndexOf(ResultSeparator, StringComparison.Ordinal);
        if (description.StartsWith('%') && results >= 0)
        {
            description = description[..results];
        }
        var space = description.IndexOf(' ', StringComparison.Ordinal);
        if (!description.StartsWith('%') || space < 0)
        {
            return new KernelOrigin("", description, null);
        }
        var rest = description[(space + 1)..];
        var scope = rest.IndexOf(ScopeSeparator, StringComparison.Ordinal);
        return scope < 0
            ? new KernelOrigin(description[..space], rest, null)
            : new KernelOrigin(description[..space], rest[..scope], rest[(scope + ScopeSeparator.Length)..]);
    }
}
