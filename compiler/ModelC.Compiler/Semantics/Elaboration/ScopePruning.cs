using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// Drops the scopes whose every node dead-code elimination removed (a layer whose result
/// nothing uses), so summaries and pictures show the model that runs. Scopes that never made a
/// node (identity) stay.
/// </summary>
internal static class ScopePruning
{
    public static ScopeInfo KeepLive(ScopeInfo root, Graph before, Graph after)
    {
        var made = Paths(before);
        var live = Paths(after);
        return Prune(root, path => live.Contains(path) || !made.Contains(path));
    }

    // Every scope path (with its prefixes) that owns a node or a parameter of the graph.
    private static HashSet<string> Paths(Graph graph)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var path = node.Op switch
            {
                ParameterOp p => Parent(p.Name),
                StateOp s => Parent(s.Name),
                _ => node.Scope,
            };
            for (var prefix = path; !string.IsNullOrEmpty(prefix); prefix = Parent(prefix))
            {
                live.Add(prefix);
            }
        }
        return live;
    }

    private static ScopeInfo Prune(ScopeInfo scope, Func<string, bool> keep) =>
        scope with
        {
            Children = [.. scope.Children.Where(c => keep(c.Path)).Select(c => Prune(c, keep))],
        };

    private static string Parent(string path) => path.Contains('.') ? path[..path.LastIndexOf('.')] : "";
}
