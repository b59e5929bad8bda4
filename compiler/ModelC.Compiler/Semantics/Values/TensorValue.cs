using ModelC.Compiler.IR;

namespace ModelC.Compiler.Semantics.Values;

/// <summary>A tensor: a node of the graph under construction, with its static type.</summary>
public sealed record TensorValue(Node Node) : Value
{
    /// <summary>The element type and shape.</summary>
    public TensorType Type => Node.Type;

    /// <summary>The shape.</summary>
    public Shape Shape => Node.Type.Shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Node.Type.Rank;

    /// <inheritdoc/>
    public override string TypeName => "tensor " + Type;

    /// <inheritdoc/>
    public override string Display => TypeName;
}
