using ModelC.Compiler.IR;

namespace ModelC.Compiler.Passes;

/// <summary>
/// What the fold-conv rewrites that move a view (a permute, a crop) down into a convolution
/// through a chain of nodes, each read only by the next, share (<see cref="PermuteIntoConvolution"/>,
/// <see cref="CropIntoConvolution"/>): the number of readers of each node, which says whether a
/// chain may be rebuilt without computing anything twice, and the graph rebuilt with the chosen
/// views replaced.
/// </summary>
internal static class ChainRewrite
{
    /// <summary>The readers of each node that has any: the nodes taking it as an input (each once), and the graph's outputs.</summary>
    public static Dictionary<Node, int> Readers(Graph graph)
    {
        var readers = new Dictionary<Node, int>();
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs.Distinct())
            {
                readers[input] = readers.GetValueOrDefault(input) + 1;
            }
        }
        foreach (var output in graph.Outputs)
        {
            readers[output.Value] = readers.GetValueOrDefault(output.Value) + 1;
        }
        return readers;
    }

    /// <summary>
    /// <paramref name="graph"/> rebuilt with each node of <paramref name="views"/> replaced by what
    /// <paramref name="replace"/> builds from it (given the builder and the copies of the nodes
    /// before it); the chains the replacements no longer read are dropped.
    /// </summary>
    public static Graph Replace(Graph graph, IReadOnlySet<Node> views, Func<GraphBuilder, Node, IReadOnlyDictionary<Node, Node>, Node> replace)
    {
        var b = new GraphBuilder(graph.Name);
        var copies = new Dictionary<Node, Node>(graph.Nodes.Length);
        foreach (var node in graph.Nodes)
        {
            b.Scope = node.Scope;
            copies[node] = views.Contains(node) ? replace(b, node, copies) : b.Add(node.Op, [.. node.Inputs.Select(i => copies[i])]);
        }
        b.Scope = null;
        foreach (var output in graph.Outputs)
        {
            b.Result(output with { Value = copies[output.Value] });
        }
        return DeadCodeElimination.Run(b.Build(), keepUnusedInputs: true);
    }
}
