using ModelC.Runtime;

namespace ModelC.Compiler.IR;

/// <summary>The static type of a tensor: element type and shape.</summary>
public readonly record struct TensorType(ElementType ElementType, Shape Shape)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>A float32 tensor of the given shape.</summary>
    public static TensorType F32(Shape shape) => new(ElementType.F32, shape);

    /// <summary>A float32 scalar.</summary>
    public static TensorType ScalarF32 => new(ElementType.F32, Shape.Scalar);

    /// <summary>The same element type with another shape.</summary>
    public TensorType WithShape(Shape shape) => new(ElementType, shape);

    /// <summary><c>f32[B,784]</c></summary>
    public override string ToString() => ElementType.Name() + Shape;
}
