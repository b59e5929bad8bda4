namespace ModelC.Compiler.Syntax;

using ModelC.Compiler.Text;

/// <summary>
/// The base of the immutable syntax tree. Every node knows the span of source it came from;
/// the tree is built once from the ANTLR parse tree and never changes afterwards.
/// </summary>
public abstract record SyntaxNode(TextSpan Span);

/// <summary>A name as written, with its own span.</summary>
public sealed record IdentifierSyntax(string Name, TextSpan Span) : SyntaxNode(Span)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
