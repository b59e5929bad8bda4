using System.Globalization;

namespace ModelC.Onnx.Import;

/// <summary>
/// A tensor dimension, or a value computed from dimensions, as <see cref="Factor"/> · B^<see cref="BatchPower"/>
/// with B the batch: 16 is (16, 0), the batch is (1, 1), the batch folded into two heads (2, 1).
/// </summary>
internal readonly record struct SymbolicDim(long Factor, int BatchPower)
{
    /// <summary>The batch itself.</summary>
    public static SymbolicDim Batch => new(1, 1);

    /// <summary>A number that does not depend on the batch.</summary>
    public static SymbolicDim Of(long value) => new(value, 0);

    /// <summary>Whether the value does not depend on the batch.</summary>
    public bool IsStatic => BatchPower == 0;

    /// <summary>The sum, where it is a single term (equal powers of the batch).</summary>
    public static SymbolicDim? Add(SymbolicDim a, SymbolicDim b) =>
        a.BatchPower == b.BatchPower ? new(a.Factor + b.Factor, a.BatchPower) : null;

    /// <summary>The difference, where it is a single term.</summary>
    public static SymbolicDim? Subtract(SymbolicDim a, SymbolicDim b) => Add(a, new(-b.Factor, b.BatchPower));

    /// <summary>The product.</summary>
    public static SymbolicDim Multiply(SymbolicDim a, SymbolicDim b) => new(a.Factor * b.Factor, a.BatchPower + b.BatchPower);

    /// <summary>
    /// The quotient as ONNX's integer Div computes it (truncated), where that holds for every batch:
    /// for two numbers always, for a term in the batch only when the division is exact.
    /// </summary>
    public static SymbolicDim? Divide(SymbolicDim a, SymbolicDim b)
    {
        if (b.Factor == 0 || a.BatchPower < b.BatchPower)
        {
            return null;
        }
        return a.BatchPower == 0 || a.Factor % b.Factor == 0 ? new(a.Factor / b.Factor, a.BatchPower - b.BatchPower) : null;
    }

    /// <inheritdoc/>
    public override string ToString() => BatchPower switch
    {
        0 => Factor.ToString(CultureInfo.InvariantCulture),
        _ => (Factor == 1 ? "" : Factor.ToString(CultureInfo.InvariantCulture) + "·") + (BatchPower == 1 ? "B" : $"B^{BatchPower}"),
    };
}
