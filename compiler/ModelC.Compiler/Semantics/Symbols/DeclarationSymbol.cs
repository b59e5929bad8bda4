using System.Collections.Immutable;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Symbols;

/// <summary>A top-level declaration of a file: a block, a model or a constant.</summary>
public abstract class DeclarationSymbol(SourceModule module, DeclarationSyntax syntax)
{
    /// <summary>The declared name.</summary>
    public string Name => Syntax.Name.Name;

    /// <summary>The file it is declared in.</summary>
    public SourceModule Module { get; } = module;

    /// <summary>Its syntax.</summary>
    public DeclarationSyntax Syntax { get; } = syntax;

    /// <summary>Where its name is written.</summary>
    public Location Location => Module.Tree.GetLocation(Syntax.Name.Span);

    /// <summary>Its <c>///</c> documentation, if any.</summary>
    public string? Documentation => Syntax.Documentation;
}

/// <summary>A <c>block</c> declaration: a callable that configures a module.</summary>
public sealed class BlockSymbol(SourceModule module, BlockDeclarationSyntax syntax, ImmutableArray<ParameterSpec> parameters)
    : DeclarationSymbol(module, syntax), ICallable
{
    /// <summary>The block's syntax.</summary>
    public new BlockDeclarationSyntax Syntax => (BlockDeclarationSyntax)base.Syntax;

    /// <inheritdoc/>
    public string KindName => "block";

    /// <inheritdoc/>
    public ImmutableArray<ParameterSpec> Parameters { get; } = parameters;

    /// <summary>The tensor parameters: the inputs of a dataflow block.</summary>
    public ImmutableArray<ParameterSpec> Inputs => [.. Parameters.Where(p => p.IsInput)];
}

/// <summary>A <c>model</c> declaration.</summary>
public sealed class ModelSymbol(SourceModule module, ModelDeclarationSyntax syntax, ImmutableArray<ParameterSpec> parameters)
    : DeclarationSymbol(module, syntax)
{
    /// <summary>The model's syntax.</summary>
    public new ModelDeclarationSyntax Syntax => (ModelDeclarationSyntax)base.Syntax;

    /// <summary>Its compile-time parameters (one of them may be the batch).</summary>
    public ImmutableArray<ParameterSpec> Parameters { get; } = parameters;

    /// <summary>Whether the model declares a <c>loss</c>, and so can train.</summary>
    public bool HasLoss => Syntax.Statements.Any(s => s is LossStatementSyntax);
}

/// <summary>A <c>const</c> declaration, evaluated once on first use.</summary>
public sealed class ConstSymbol(SourceModule module, ConstDeclarationSyntax syntax) : DeclarationSymbol(module, syntax)
{
    /// <summary>The constant's syntax.</summary>
    public new ConstDeclarationSyntax Syntax => (ConstDeclarationSyntax)base.Syntax;
}
