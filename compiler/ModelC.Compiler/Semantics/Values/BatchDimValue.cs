namespace ModelC.Compiler.Semantics.Values;

/// <summary>A model's symbolic batch dimension, such as <c>B</c> in <c>input x: f32[B, 784]</c>.</summary>
public sealed record BatchDimValue(string Symbol) : Value
{
    /// <inheritdoc/>
    public override string TypeName => "batch";

    /// <inheritdoc/>
    public override string Display => Symbol;
}
