using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes;

/// <summary>
/// A rule of a <see cref="GraphRewriter"/>: given an op about to be applied to (already
/// rewritten) inputs and the type it would have, an equivalent node of that type built through
/// <paramref name="rewriter"/>, or null to keep the op as it is.
/// </summary>
internal delegate Node? RewriteRule(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs, TensorType type);

/// <summary>
/// Rebuilds a graph node by node, operands first, with hash-consing: a node structurally equal
/// to one already built (same op, same inputs) is not built again, the first one is used (with
/// its scope). A rule may replace each node as it is built; what it builds is itself rewritten,
/// so rules chain (<c>reshape(reshape(reshape x))</c> becomes one reshape). Inputs, parameters
/// and states are the graph's interface and are never merged.
/// </summary>
internal sealed class GraphRewriter
{
    private readonly GraphBuilder _builder;
    private readonly RewriteRule? _rule;
    private readonly Dictionary<NodeKey, Node> _built = [];
    private bool _changed;

    private GraphRewriter(string name, RewriteRule? rule)
    {
        _builder = new GraphBuilder(name);
        _rule = rule;
    }

    /// <summary>The rewritten graph, or <paramref name="graph"/> itself when no node was merged or replaced.</summary>
    public static Graph Rewrite(Graph graph, RewriteRule? rule)
    {
        var rewriter = new GraphRewriter(graph.Name, rule);
        var copies = new Dictionary<Node, Node>(graph.Nodes.Length);
        foreach (var node in graph.Nodes)
        {
            rewriter._builder.Scope = node.Scope;
            copies[node] = rewriter.Emit(node.Op, [.. node.Inputs.Select(i => copies[i])]);
        }
        if (!rewriter._changed)
        {
            return graph;
        }
        rewriter._builder.Scope = null;
        foreach (var output in graph.Outputs)
        {
            rewriter._builder.Result(output with { Value = copies[output.Value] });
        }
        return rewriter._builder.Build();
    }

    /// <summary>
    /// The node computing <paramref name="op"/> of <paramref name="inputs"/> (nodes of the new
    /// graph): the rule's replacement, an equal node built before, or a new node.
    /// </summary>
    public Node Emit(Op op, params ImmutableArray<Node> inputs)
    {
        var type = op.InferType([.. inputs.Select(i => i.Type)]);
        if (_rule?.Invoke(this, op, inputs, type) is { } replacement)
        {
            if (replacement.Type != type)
            {
                throw new InvalidOperationException($"a rewrite of {op.Mnemonic} : {type} gave {replacement}");
            }
            _changed = true;
            return replacement;
        }
        if (op is InputOp or ParameterOp or StateOp)
        {
            return _builder.Add(op);
        }
        var key = new NodeKey(op, inputs);
        if (_built.TryGetValue(key, out var existing))
        {
            _changed = true;
            return existing;
        }
        var node = _builder.Add(op, [.. inputs]);
        _built.Add(key, node);
        return node;
    }

    /// <summary>A constant fill of <paramref name="type"/>.</summary>
    public Node Constant(double value, TensorType type) => Emit(new ConstantOp(value, type));
}
