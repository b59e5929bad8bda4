using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.IR;

/// <summary>
/// One value of the graph: an op applied to earlier nodes, with its static type. Nodes are
/// immutable and shared; passes build new graphs instead of editing old ones.
/// </summary>
public sealed class Node
{
    internal Node(int id, Op op, ImmutableArray<Node> inputs, TensorType type, string? scope)
    {
        Id = id;
        Op = op;
        Inputs = inputs;
        Type = type;
        Scope = scope;
    }

    /// <summary>A number unique within the graph that made the node.</summary>
    public int Id { get; }

    /// <summary>What the node computes.</summary>
    public Op Op { get; }

    /// <summary>The operands, in the op's order.</summary>
    public ImmutableArray<Node> Inputs { get; }

    /// <summary>The result type.</summary>
    public TensorType Type { get; }

    /// <summary>The path of the layer this node came from (e.g. <c>macaron_0.ffn_1.linear_0</c>), for printing and pictures.</summary>
    public string? Scope { get; }

    /// <inheritdoc/>
    public override string ToString() => $"%{Id} = {Op.Mnemonic} : {Type}";
}
