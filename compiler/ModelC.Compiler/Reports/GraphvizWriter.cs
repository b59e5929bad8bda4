using System.Globalization;
using System.Text;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Compiler.Reports;

/// <summary>
/// Draws an elaborated model as a Graphviz digraph: one box per layer (the scopes at the chosen
/// depth), blocks as nested clusters, edges where data flows between layers. The IR's scope
/// stamps decide which primitive nodes a box stands for, as TensorBoard groups ops by name scope.
/// </summary>
public static class GraphvizWriter
{
    /// <summary>The dot text; <paramref name="maxDepth"/> collapses scopes below that depth into their parent.</summary>
    public static string Write(ElaboratedModel model, int maxDepth = int.MaxValue)
    {
        var scopes = model.Scopes.DescendantsAndSelf().ToDictionary(s => s.Path);
        var groups = new Dictionary<Node, string>();
        var boxes = new Dictionary<string, string>();
        foreach (var node in model.Graph.Nodes)
        {
            if (Group(node, maxDepth) is { } group)
            {
                groups[node] = group;
                boxes.TryAdd(group, Label(node, group, scopes, model.Graph));
            }
        }
        var edges = new SortedSet<(string From, string To)>(Comparer<(string, string)>.Create((a, b) =>
            string.CompareOrdinal(a.Item1 + "\u0000" + a.Item2, b.Item1 + "\u0000" + b.Item2)));
        foreach (var node in model.Graph.Nodes.Where(groups.ContainsKey))
        {
            foreach (var input in node.Inputs.Where(i => groups.ContainsKey(i) && groups[i] != groups[node]))
            {
                edges.Add((groups[input], groups[node]));
            }
        }

        var text = new StringBuilder();
        text.Append("digraph \"").Append(Escape(model.Name)).Append("\" {\n");
        text.Append("  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\", fontsize=10];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        WriteClusters(text, model.Scopes, boxes, 1);
        foreach (var output in model.Graph.Outputs)
        {
            var id = "result:" + output.Name;
            text.Append("  \"").Append(Escape(id)).Append("\" [label=\"").Append(Escape($"{output.Role.ToString().ToLowerInvariant()} {output.Name}\n{output.Value.Type}"))
                .Append("\", shape=ellipse, fillcolor=\"#e8f5e9\"];\n");
            if (groups.TryGetValue(output.Value, out var from))
            {
                edges.Add((from, id));
            }
        }
        foreach (var (from, to) in edges)
        {
            text.Append("  \"").Append(Escape(from)).Append("\" -> \"").Append(Escape(to)).Append("\";\n");
        }
        text.Append("}\n");
        return text.ToString();
    }

    // Which box a node belongs to: inputs are their own boxes, leaves inside layers are hidden,
    // other nodes belong to their scope cut at the depth limit (top-level operators stand alone).
    private static string? Group(Node node, int maxDepth) => node.Op switch
    {
        InputOp input => "input:" + input.Name,
        LeafOp => null,
        _ when string.IsNullOrEmpty(node.Scope) => $"op:{node.Id}",
        _ => string.Join('.', node.Scope!.Split('.').Take(maxDepth)),
    };

    private static string Label(Node node, string group, Dictionary<string, ScopeInfo> scopes, Graph graph)
    {
        if (node.Op is InputOp input)
        {
            return $"input {input.Name}\n{node.Type}";
        }
        if (scopes.TryGetValue(group, out var scope))
        {
            return $"{scope.Segment} ({scope.Kind})\n{scope.Output?.ToString() ?? ""}";
        }
        return $"{node.Op.Mnemonic}\n{node.Type}";
    }

    // Emits the boxes that sit directly in a scope, then a cluster for each child scope that holds boxes.
    private static void WriteClusters(StringBuilder text, ScopeInfo scope, Dictionary<string, string> boxes, int depth)
    {
        foreach (var (key, label) in boxes.Where(b => Container(b.Key) == scope.Path).OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            text.Append(' ', depth * 2).Append('"').Append(Escape(key)).Append("\" [label=\"").Append(Escape(label)).Append('"');
            if (key.StartsWith("input:", StringComparison.Ordinal))
            {
                text.Append(", shape=ellipse, fillcolor=\"#fff3e0\"");
            }
            text.Append("];\n");
        }
        foreach (var child in scope.Children.Where(c => boxes.Keys.Any(k => k.StartsWith(c.Path + ".", StringComparison.Ordinal))))
        {
            text.Append(' ', depth * 2).Append("subgraph \"cluster_").Append(Escape(child.Path)).Append("\" {\n");
            text.Append(' ', depth * 2 + 2).Append("label=\"").Append(Escape($"{child.Segment} ({child.Kind})")).Append("\"; style=rounded; color=\"#90a4ae\";\n");
            WriteClusters(text, child, boxes, depth + 1);
            text.Append(' ', depth * 2).Append("}\n");
        }
    }

    // Scope boxes sit in their parent scope's cluster; inputs and top-level operators at the top.
    private static string Container(string key) =>
        key.StartsWith("input:", StringComparison.Ordinal) || key.StartsWith("op:", StringComparison.Ordinal) ? "" : Parent(key);

    private static string Parent(string path) => path.Contains('.') ? path[..path.LastIndexOf('.')] : "";

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
