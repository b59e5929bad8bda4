using System.Collections.Immutable;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Syntax;

/// <summary>One parsed file: its text, its syntax tree and the syntax diagnostics.</summary>
public sealed record SyntaxTree(SourceText Source, CompilationUnitSyntax Root, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>True when the file parsed without errors.</summary>
    public bool IsValid => !Diagnostics.Any(d => d.IsError);

    /// <summary>The location of a span in this file.</summary>
    public Location GetLocation(TextSpan span) => new(Source, span);

    /// <summary>Parses a source text.</summary>
    public static SyntaxTree Parse(SourceText source) => Parser.Parse(source);
}
