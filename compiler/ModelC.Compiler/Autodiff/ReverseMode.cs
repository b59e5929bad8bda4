using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Autodiff;

/// <summary>
/// Reverse-mode differentiation as an IR→IR pass. The result is a new graph holding the
/// original nodes and results, then the adjoint of every node on a path from a differentiated
/// leaf to the loss (one rule per primitive op, see <see cref="AdjointRules"/>), and one
/// <see cref="OutputRole.Gradient"/> result per leaf. Adjoints are summed where paths meet;
/// nodes the loss does not depend on, or that no differentiated leaf reaches, get none.
/// </summary>
public static class ReverseMode
{
    /// <summary>The graph with the loss gradient of every parameter added.</summary>
    public static Graph Differentiate(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Differentiate(graph, [.. graph.Parameters]);
    }

    /// <summary>
    /// The graph with the loss gradient of each of <paramref name="leaves"/> (f32 inputs or
    /// parameters of <paramref name="graph"/>) added as <see cref="OutputRole.Gradient"/> results.
    /// </summary>
    public static Graph Differentiate(Graph graph, IReadOnlyList<Node> leaves)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(leaves);
        var loss = graph.Loss ?? throw new ArgumentException($"graph {graph.Name} has no loss to differentiate", nameof(graph));
        var members = graph.Nodes.ToHashSet();
        foreach (var leaf in leaves)
        {
            if (!members.Contains(leaf) || leaf.Op is not (InputOp or ParameterOp) || leaf.Type.ElementType != ElementType.F32)
            {
                throw new ArgumentException($"{leaf} is not an f32 input or parameter of graph {graph.Name}", nameof(leaves));
            }
        }

        var builder = new GraphBuilder(graph.Name);
        var copies = builder.Append(graph);

        var active = ActivityAnalysis.ActiveNodes(graph, loss, leaves);
        var adjoints = new Dictionary<Node, Node>();
        if (active.Contains(loss))
        {
            builder.Scope = null;
            adjoints[loss] = builder.Constant(1.0, TensorType.ScalarF32);
        }
        for (var i = graph.Nodes.Length - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            if (node.Inputs.IsEmpty || !adjoints.TryGetValue(node, out var adjoint))
            {
                continue;
            }
            var needed = node.Inputs.Select(active.Contains).ToArray();
            builder.Scope = node.Scope;
            var contributions = AdjointRules.Apply(builder, copies[node], adjoint, needed);
            for (var j = 0; j < contributions.Length; j++)
            {
                if (needed[j] && contributions[j] is { } contribution)
                {
                    Accumulate(builder, adjoints, node.Inputs[j], contribution);
                }
            }
        }

        builder.Scope = null;
        foreach (var output in graph.Outputs)
        {
            builder.Result(output with { Value = copies[output.Value] });
        }
        foreach (var leaf in leaves)
        {
            var name = leaf.Op is InputOp input ? input.Name : ((ParameterOp)leaf.Op).Name;
            builder.Gradient(name, adjoints.TryGetValue(leaf, out var gradient) ? gradient : builder.Filled(0, leaf));
        }
        return builder.Build();
    }

    private static void Accumulate(GraphBuilder builder, Dictionary<Node, Node> adjoints, Node node, Node contribution)
    {
        if (contribution.Type != node.Type)
        {
            throw new InvalidOperationException($"adjoint of {node} has type {contribution.Type}, expected {node.Type}");
        }
        adjoints[node] = adjoints.TryGetValue(node, out var sum) ? builder.Binary(BinaryKind.Add, sum, contribution) : contribution;
    }
}
