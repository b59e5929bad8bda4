using System.Collections.Immutable;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>A top-level declaration; <see cref="Documentation"/> holds its <c>///</c> lines.</summary>
public abstract record DeclarationSyntax(IdentifierSyntax Name, string? Documentation, TextSpan Span) : SyntaxNode(Span);

/// <summary>
/// <c>block name(params) = expr;</c> (point-free) or <c>block name(params) { statements }</c>
/// (dataflow). Parameters of type <c>tensor</c> are the block's inputs; the others are
/// compile-time configuration.
/// </summary>
public sealed record BlockDeclarationSyntax(
    IdentifierSyntax Name,
    ImmutableArray<ParameterSyntax> Parameters,
    ExpressionSyntax? ExpressionBody,
    ImmutableArray<StatementSyntax> StatementBody,
    string? Documentation,
    TextSpan Span) : DeclarationSyntax(Name, Documentation, Span)
{
    /// <summary>True for <c>block f(...) = expr;</c>.</summary>
    public bool IsPointFree => ExpressionBody is not null;
}

/// <summary><c>model Name(params) { input …; output …; loss …; optimizer …; }</c></summary>
public sealed record ModelDeclarationSyntax(
    IdentifierSyntax Name,
    ImmutableArray<ParameterSyntax> Parameters,
    ImmutableArray<StatementSyntax> Statements,
    string? Documentation,
    TextSpan Span) : DeclarationSyntax(Name, Documentation, Span);

/// <summary><c>const name = expr;</c></summary>
public sealed record ConstDeclarationSyntax(
    IdentifierSyntax Name,
    TypeSyntax? Type,
    ExpressionSyntax Value,
    string? Documentation,
    TextSpan Span) : DeclarationSyntax(Name, Documentation, Span);

/// <summary>A parameter <c>name: type = default</c>.</summary>
public sealed record ParameterSyntax(IdentifierSyntax Name, TypeSyntax Type, ExpressionSyntax? Default, TextSpan Span)
    : SyntaxNode(Span);

/// <summary>
/// A type as written: a name (<c>int</c>, <c>tensor</c>), a list type (<c>int[]</c>, empty
/// <see cref="Dimensions"/>) or a tensor type (<c>f32[B, 784]</c>).
/// </summary>
public sealed record TypeSyntax(IdentifierSyntax Name, ImmutableArray<ExpressionSyntax>? Dimensions, TextSpan Span)
    : SyntaxNode(Span);
