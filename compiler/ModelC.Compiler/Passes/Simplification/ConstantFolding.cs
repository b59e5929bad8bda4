using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Passes.Simplification;

/// <summary>
/// Evaluates an elementwise op whose inputs are all constant fills, the way the CPU kernels
/// compute it: float32 IEEE arithmetic on the constants rounded to float32, max/min that
/// propagate a NaN first operand, <c>sign</c> of NaN as 0, saturating float-to-int casts that
/// send NaN to 0. exp, log, tanh, erf, sin, cos and pow are not folded: the kernels compute
/// them with approximations of their own, and a folded value must be the one they would give.
/// </summary>
internal static class ConstantFolding
{
    /// <summary>The folded constant, or null when some input is not a constant or the op is not folded.</summary>
    public static Node? Fold(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs, TensorType type)
    {
        if (inputs.IsEmpty || op.FusionPattern != FusionPattern.Elementwise || !inputs.All(i => i.Op is ConstantOp))
        {
            return null;
        }
        var values = inputs.Select(i => ((ConstantOp)i.Op).Value).ToArray();
        var from = inputs[0].Type.ElementType;
        var folded = op switch
        {
            UnaryOp unary when from == ElementType.F32 => Unary(unary.Kind, (float)values[0]),
            BinaryOp binary when from == ElementType.F32 => Binary(binary.Kind, (float)values[0], (float)values[1]),
            CompareOp compare => Compare(compare.Kind, from, values[0], values[1]),
            CastOp cast => Cast(from, cast.To, values[0]),
            _ => null,
        };
        return folded is { } value ? rewriter.Constant(value, type) : null;
    }

    private static double? Unary(UnaryKind kind, float x) => kind switch
    {
        UnaryKind.Neg => -x,
        UnaryKind.Abs => MathF.Abs(x),
        UnaryKind.Sqrt => MathF.Sqrt(x),
        UnaryKind.Reciprocal => 1f / x,
        UnaryKind.Sign => x > 0 ? 1f : x < 0 ? -1f : 0f,
        _ => null,
    };

    private static double? Binary(BinaryKind kind, float a, float b) => kind switch
    {
        BinaryKind.Add => a + b,
        BinaryKind.Sub => a - b,
        BinaryKind.Mul => a * b,
        BinaryKind.Div => a / b,
        BinaryKind.Max => float.IsNaN(a) || a > b ? a : b,
        BinaryKind.Min => float.IsNaN(a) || a < b ? a : b,
        _ => null,
    };

    // Ordered comparisons (false on NaN) except ≠, which is true on NaN, as C#'s float operators.
    private static double Compare(CompareKind kind, ElementType type, double left, double right) =>
        type == ElementType.F32
            ? Compare(kind, (float)left, (float)right)
            : Compare(kind, Integer(type, left), Integer(type, right));

    private static double Compare<T>(CompareKind kind, T a, T b) where T : System.Numerics.INumber<T>
    {
        var result = kind switch
        {
            CompareKind.Eq => a == b,
            CompareKind.Ne => a != b,
            CompareKind.Lt => a < b,
            CompareKind.Le => a <= b,
            CompareKind.Gt => a > b,
            _ => a >= b,
        };
        return result ? 1 : 0;
    }

    // Every arm is a double: a switch over float and int arms would be a float, and round
    // 2147483647 to 2147483648.
    private static double Cast(ElementType from, ElementType to, double value)
    {
        if (from == ElementType.F32)
        {
            var x = (float)value;
            return to switch
            {
                ElementType.F32 => (double)x,
                ElementType.I32 => float.IsNaN(x) ? 0.0 : (int)Math.Clamp(Math.Truncate((double)x), int.MinValue, int.MaxValue),
                _ => x != 0 ? 1.0 : 0.0,
            };
        }
        var integer = Integer(from, value);
        return to switch
        {
            ElementType.F32 => (double)(float)integer,
            ElementType.I32 => integer,
            _ => integer != 0 ? 1.0 : 0.0,
        };
    }

    // An i32 constant as the kernels materialise it (the value cast to int); a bool as 0 or 1.
    private static int Integer(ElementType type, double value) => type == ElementType.Bool ? (value != 0 ? 1 : 0) : (int)value;
}
