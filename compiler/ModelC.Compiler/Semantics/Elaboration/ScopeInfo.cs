using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.Text;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// One application of a block or layer in the elaborated model: its path (the prefix of its
/// parameter names), what it is, where it was written, its output and its own parameters.
/// The tree of scopes is what summaries and pictures show; the graph holds the computation.
/// </summary>
public sealed record ScopeInfo(
    string Path,
    string Kind,
    Location? Site,
    TensorType? Output,
    ImmutableArray<string> Parameters,
    ImmutableArray<ScopeInfo> Children)
{
    /// <summary>The last segment of the path (the root's is empty).</summary>
    public string Segment => Path.Length == 0 ? "" : Path[(Path.LastIndexOf('.') + 1)..];

    /// <summary>This scope and all scopes below it, parents first.</summary>
    public IEnumerable<ScopeInfo> DescendantsAndSelf() => Children.SelectMany(c => c.DescendantsAndSelf()).Prepend(this);
}
