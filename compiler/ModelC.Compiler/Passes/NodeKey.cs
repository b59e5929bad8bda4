using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes;

/// <summary>
/// What makes two nodes the same value: an equal op (ops compare structurally, array attributes
/// and constant bits included) applied to the very same input nodes. The result type follows
/// from both, so it needs no place in the key.
/// </summary>
internal readonly struct NodeKey(Op op, ImmutableArray<Node> inputs) : IEquatable<NodeKey>
{
    private readonly Op _op = op;
    private readonly ImmutableArray<Node> _inputs = inputs;

    /// <inheritdoc/>
    public bool Equals(NodeKey other)
    {
        if (!_op.Equals(other._op) || _inputs.Length != other._inputs.Length)
        {
            return false;
        }
        for (var i = 0; i < _inputs.Length; i++)
        {
            if (!ReferenceEquals(_inputs[i], other._inputs[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NodeKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_op);
        foreach (var input in _inputs)
        {
            hash.Add(input.Id);
        }
        return hash.ToHashCode();
    }
}
