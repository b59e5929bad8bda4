using System.Collections.Immutable;
using ModelC.Compiler.Syntax;

namespace ModelC.Compiler.Semantics.Symbols;

/// <summary>
/// A loaded <c>.mdl</c> file: its syntax tree, its own declarations and the modules it imports.
/// Names a file can see: its own declarations, then its imports' declarations, then built-ins.
/// </summary>
public sealed class SourceModule
{
    internal SourceModule(SyntaxTree tree, string fullPath, string? standardName)
    {
        Tree = tree;
        FullPath = fullPath;
        StandardName = standardName;
    }

    /// <summary>The parsed file.</summary>
    public SyntaxTree Tree { get; }

    /// <summary>The absolute path (identity of the module).</summary>
    public string FullPath { get; }

    /// <summary><c>std.nn</c> for a standard-library module, else null.</summary>
    public string? StandardName { get; }

    /// <summary>The declarations of this file by name (first one wins on duplicates).</summary>
    public ImmutableDictionary<string, DeclarationSymbol> Declarations { get; internal set; } =
        ImmutableDictionary<string, DeclarationSymbol>.Empty;

    /// <summary>The modules imported by this file, in import order.</summary>
    public ImmutableArray<SourceModule> Imports { get; internal set; } = [];

    /// <summary>True when an import could not be loaded, or loaded with syntax errors.</summary>
    public bool HasBrokenImports { get; internal set; }

    /// <summary>How messages name the module: <c>std.nn</c>, or its path relative to the compiled file's folder.</summary>
    public string DisplayName { get; internal set; } = "";

    /// <summary>The models declared in this file, in source order.</summary>
    public IEnumerable<ModelSymbol> Models =>
        Declarations.Values.OfType<ModelSymbol>().OrderBy(m => m.Syntax.Span.Start);

    /// <inheritdoc/>
    public override string ToString() => StandardName ?? (DisplayName.Length > 0 ? DisplayName : Tree.Source.Path);
}
