using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Passes.Simplification;

/// <summary>
/// Elementwise identities that hold bit for bit in IEEE arithmetic: <c>x·1 = 1·x = x/1 = x</c>,
/// <c>x + (−0) = x</c> and <c>x − 0 = x</c> (but not <c>x + 0</c>, which turns −0 into 0),
/// <c>−(−x) = x</c>, <c>max(x, x) = min(x, x) = x</c>, a select on a constant condition or
/// between one value twice, and a cast to the type a value already has.
/// </summary>
internal static class ArithmeticRules
{
    /// <summary>The node <paramref name="op"/> of <paramref name="inputs"/> equals, or null.</summary>
    public static Node? Rewrite(Op op, ImmutableArray<Node> inputs) => op switch
    {
        BinaryOp { Kind: BinaryKind.Mul } when IsFill(inputs[1], 1.0) => inputs[0],
        BinaryOp { Kind: BinaryKind.Mul } when IsFill(inputs[0], 1.0) => inputs[1],
        BinaryOp { Kind: BinaryKind.Div } when IsFill(inputs[1], 1.0) => inputs[0],
        BinaryOp { Kind: BinaryKind.Add } when IsFill(inputs[1], -0.0) => inputs[0],
        BinaryOp { Kind: BinaryKind.Add } when IsFill(inputs[0], -0.0) => inputs[1],
        BinaryOp { Kind: BinaryKind.Sub } when IsFill(inputs[1], 0.0) => inputs[0],
        BinaryOp { Kind: BinaryKind.Max or BinaryKind.Min } when ReferenceEquals(inputs[0], inputs[1]) => inputs[0],
        UnaryOp { Kind: UnaryKind.Neg } when inputs[0].Op is UnaryOp { Kind: UnaryKind.Neg } => inputs[0].Inputs[0],
        SelectOp when inputs[0].Op is ConstantOp condition => condition.Value != 0 ? inputs[1] : inputs[2],
        SelectOp when ReferenceEquals(inputs[1], inputs[2]) => inputs[1],
        CastOp cast when cast.To == inputs[0].Type.ElementType => inputs[0],
        _ => null,
    };

    // A constant fill whose value has exactly these bits (so −0 is not 0).
    private static bool IsFill(Node node, double value) =>
        node.Op is ConstantOp constant && AttributeEquality.SameBits(constant.Value, value);
}
