using ModelC.Compiler.IR;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// The batch dimension's one rule: a symbolic dimension may only be the first. Every tensor a
/// layer or operator makes is held to it, so run-time batching stays a loop over axis 0.
/// </summary>
internal static class BatchRule
{
    /// <summary>True when no symbolic dimension stands after the first position.</summary>
    public static bool Holds(TensorType type) => Holds(type.Shape);

    /// <inheritdoc cref="Holds(TensorType)"/>
    public static bool Holds(Shape shape) => shape.Dims.Skip(1).All(d => d.IsFixed);
}
