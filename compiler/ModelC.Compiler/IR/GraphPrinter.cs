using System.Text;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.IR;

/// <summary>
/// The stable text form of a graph, used by <c>modelc ir</c> and golden tests. Nodes are
/// numbered by position, so equal graphs print equally whatever their node ids.
/// </summary>
public static class GraphPrinter
{
    private const int ScopeColumn = 72;

    /// <summary>Prints the whole graph.</summary>
    public static string Print(Graph graph)
    {
        var numbers = new Dictionary<Node, int>();
        var text = new StringBuilder();
        text.Append("graph ").Append(graph.Name).Append(" {\n");
        foreach (var node in graph.Nodes)
        {
            numbers[node] = numbers.Count;
            var line = new StringBuilder("  %").Append(numbers[node]).Append(" = ").Append(node.Op.Mnemonic);
            var attributes = node.Op.FormatAttributes();
            if (attributes.Length > 0)
            {
                line.Append('[').Append(attributes).Append(']');
            }
            if (node.Inputs.Length > 0)
            {
                line.Append(' ').Append(string.Join(", ", node.Inputs.Select(i => "%" + numbers[i])));
            }
            line.Append(" : ").Append(node.Type);
            if (node.Scope is { Length: > 0 } scope && node.Op is not LeafOp)
            {
                line.Append(' ', Math.Max(1, ScopeColumn - line.Length)).Append("# ").Append(scope);
            }
            text.Append(line).Append('\n');
        }
        foreach (var output in graph.Outputs)
        {
            var keyword = output.Role switch
            {
                OutputRole.Output => "output " + output.Name,
                OutputRole.Loss => "loss",
                OutputRole.Gradient => "gradient " + output.Name,
                _ => "update " + output.Name,
            };
            text.Append("  ").Append(keyword).Append(" = %").Append(numbers[output.Value]).Append('\n');
        }
        text.Append("}\n");
        return text.ToString();
    }
}
