using System.Collections.Immutable;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>A whole file: its imports and declarations, in source order.</summary>
public sealed record CompilationUnitSyntax(
    ImmutableArray<ImportSyntax> Imports,
    ImmutableArray<DeclarationSyntax> Declarations,
    TextSpan Span) : SyntaxNode(Span);

/// <summary>An <c>import</c> line.</summary>
public abstract record ImportSyntax(TextSpan Span, TextSpan TargetSpan) : SyntaxNode(Span);

/// <summary><c>import std.nn;</c> — a module of the standard library by dotted name.</summary>
public sealed record ModuleImportSyntax(ImmutableArray<IdentifierSyntax> Parts, TextSpan Span, TextSpan TargetSpan)
    : ImportSyntax(Span, TargetSpan)
{
    /// <summary>The dotted name as written.</summary>
    public string DottedName => string.Join('.', Parts.Select(p => p.Name));
}

/// <summary><c>import "layers/attention.mdl";</c> — a file relative to the importing one.</summary>
public sealed record PathImportSyntax(string Path, TextSpan Span, TextSpan TargetSpan) : ImportSyntax(Span, TargetSpan);
