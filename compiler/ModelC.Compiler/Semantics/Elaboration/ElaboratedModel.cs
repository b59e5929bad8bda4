using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Symbols;
using ModelC.Compiler.Semantics.Values;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// A model after semantic analysis: the IR graph for one execution mode, the tree of scopes
/// (blocks and layers with their outputs and parameters) and the training settings.
/// </summary>
public sealed record ElaboratedModel(
    ModelSymbol Symbol,
    ExecutionMode Mode,
    Graph Graph,
    ScopeInfo Scopes,
    ConfigValue? Optimizer)
{
    /// <summary>The model's name.</summary>
    public string Name => Symbol.Name;
}
