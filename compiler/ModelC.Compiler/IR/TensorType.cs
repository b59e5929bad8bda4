namespace ModelC.Compiler.IR;

/// <summary>The static type of a tensor: element type and shape.</summary>
public readonly record struct TensorType(DType DType, Shape Shape)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>A float32 tensor of the given shape.</summary>
    public static TensorType F32(Shape shape) => new(DType.F32, shape);

    /// <summary>A float32 scalar.</summary>
    public static TensorType ScalarF32 => new(DType.F32, Shape.Scalar);

    /// <summary>The same element type with another shape.</summary>
    public TensorType WithShape(Shape shape) => new(DType, shape);

    /// <summary><c>f32[B,784]</c></summary>
    public override string ToString() => DType.Name() + Shape;
}
