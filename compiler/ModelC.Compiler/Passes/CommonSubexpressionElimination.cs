using ModelC.Compiler.IR;

namespace ModelC.Compiler.Passes;

/// <summary>
/// Merges structurally equal nodes — the same op with the same attributes (constants by value
/// bits and type) applied to the same inputs — keeping the first and its scope. Every use of a
/// later copy reads the first instead; the copies are left out of the new graph. Exact: the
/// merged nodes computed the same values. Inputs, parameters and states never merge.
/// </summary>
public sealed class CommonSubexpressionElimination : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "cse";

    /// <inheritdoc/>
    public Graph Run(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return GraphRewriter.Rewrite(graph, rule: null);
    }
}
