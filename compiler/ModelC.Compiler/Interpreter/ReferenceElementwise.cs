using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// Unary, binary, compare, select and cast: one output element per input element. Floats are
/// computed in double precision; i32 arithmetic is done in 32-bit integers with wrap-around, as
/// a native backend would, so that integer results are exact and backend-comparable.
/// </summary>
internal static class ReferenceElementwise
{
    /// <summary>Applies a <see cref="UnaryOp"/> to a tensor of element type <paramref name="type"/>.</summary>
    public static HostTensor Unary(UnaryKind kind, ElementType type, HostTensor x)
    {
        if (type == ElementType.I32)
        {
            Func<int, int> integer = kind switch
            {
                UnaryKind.Neg => v => unchecked(-v),
                // Math.Abs(int.MinValue) throws; negation wraps like the hardware does.
                UnaryKind.Abs => v => v < 0 ? unchecked(-v) : v,
                UnaryKind.Sign => Math.Sign,
                _ => throw new InvalidOperationException($"{kind} is not defined for i32"),
            };
            return Map(x, v => integer((int)v));
        }
        Func<double, double> function = kind switch
        {
            UnaryKind.Neg => v => -v,
            UnaryKind.Exp => Math.Exp,
            UnaryKind.Log => Math.Log,
            UnaryKind.Sqrt => Math.Sqrt,
            UnaryKind.Reciprocal => v => 1.0 / v,
            UnaryKind.Tanh => Math.Tanh,
            UnaryKind.Erf => SpecialFunctions.Erf,
            UnaryKind.Sin => Math.Sin,
            UnaryKind.Cos => Math.Cos,
            UnaryKind.Abs => Math.Abs,
            // The op is documented to yield only −1, 0 or 1, so NaN maps to 0 (as in PyTorch);
            // Math.Sign would throw on NaN.
            UnaryKind.Sign => v => v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0,
            _ => throw new InvalidOperationException($"unknown unary kind {kind}"),
        };
        return Map(x, function);
    }

    /// <summary>Applies a <see cref="BinaryOp"/> to two tensors of equal shape and element type <paramref name="type"/>.</summary>
    public static HostTensor Binary(BinaryKind kind, ElementType type, HostTensor a, HostTensor b)
    {
        if (type == ElementType.I32)
        {
            Func<int, int, int> integer = kind switch
            {
                BinaryKind.Add => (x, y) => unchecked(x + y),
                BinaryKind.Sub => (x, y) => unchecked(x - y),
                BinaryKind.Mul => (x, y) => unchecked(x * y),
                BinaryKind.Div => DivideTruncating,
                BinaryKind.Max => Math.Max,
                BinaryKind.Min => Math.Min,
                BinaryKind.Pow => IntegerPower,
                _ => throw new InvalidOperationException($"unknown binary kind {kind}"),
            };
            return Zip(a, b, (x, y) => integer((int)x, (int)y));
        }
        Func<double, double, double> function = kind switch
        {
            BinaryKind.Add => (x, y) => x + y,
            BinaryKind.Sub => (x, y) => x - y,
            BinaryKind.Mul => (x, y) => x * y,
            BinaryKind.Div => (x, y) => x / y,
            // Math.Max and Math.Min return NaN when either operand is NaN.
            BinaryKind.Max => Math.Max,
            BinaryKind.Min => Math.Min,
            BinaryKind.Pow => Math.Pow,
            _ => throw new InvalidOperationException($"unknown binary kind {kind}"),
        };
        return Zip(a, b, function);
    }

    /// <summary>Applies a <see cref="CompareOp"/>: 1 where the comparison holds, else 0 (false for any NaN operand except <c>ne</c>).</summary>
    public static HostTensor Compare(CompareKind kind, HostTensor a, HostTensor b)
    {
        Func<double, double, bool> holds = kind switch
        {
            CompareKind.Eq => (x, y) => x == y,
            CompareKind.Ne => (x, y) => x != y,
            CompareKind.Lt => (x, y) => x < y,
            CompareKind.Le => (x, y) => x <= y,
            CompareKind.Gt => (x, y) => x > y,
            CompareKind.Ge => (x, y) => x >= y,
            _ => throw new InvalidOperationException($"unknown comparison {kind}"),
        };
        return Zip(a, b, (x, y) => holds(x, y) ? 1.0 : 0.0);
    }

    /// <summary>Applies a <see cref="SelectOp"/>: <paramref name="whenTrue"/> where the condition is nonzero.</summary>
    public static HostTensor Select(HostTensor condition, HostTensor whenTrue, HostTensor whenFalse)
    {
        RequireSameShape(condition, whenTrue);
        RequireSameShape(whenTrue, whenFalse);
        var data = new double[condition.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = condition.Buffer[i] != 0 ? whenTrue.Buffer[i] : whenFalse.Buffer[i];
        }
        return HostTensor.Wrap(condition.Shape, data);
    }

    /// <summary>
    /// Applies a <see cref="CastOp"/>. To i32: truncation toward zero, saturating at the i32
    /// range, NaN → 0. To bool: nonzero (NaN included) → 1. To f32: the value is kept as is —
    /// the reference never rounds to single precision.
    /// </summary>
    public static HostTensor Cast(ElementType to, HostTensor x) => to switch
    {
        ElementType.I32 => Map(x, v => double.IsNaN(v) ? 0.0 : Math.Clamp(Math.Truncate(v), int.MinValue, int.MaxValue)),
        ElementType.Bool => Map(x, v => v != 0 ? 1.0 : 0.0),
        _ => Map(x, v => v),
    };

    private static int DivideTruncating(int x, int y)
    {
        if (y == 0)
        {
            throw new DivideByZeroException("i32 division by zero");
        }
        // int.MinValue / -1 overflows, which C# reports as an exception; wrap instead.
        return y == -1 ? unchecked(-x) : x / y;
    }

    private static int IntegerPower(int x, int y)
    {
        if (y < 0)
        {
            throw new ArithmeticException($"i32 pow with a negative exponent ({x}^{y})");
        }
        var result = 1;
        for (var factor = x; y > 0; y >>= 1, factor = unchecked(factor * factor))
        {
            if ((y & 1) != 0)
            {
                result = unchecked(result * factor);
            }
        }
        return result;
    }

    private static HostTensor Map(HostTensor x, Func<double, double> function)
    {
        var data = new double[x.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = function(x.Buffer[i]);
        }
        return HostTensor.Wrap(x.Shape, data);
    }

    private static HostTensor Zip(HostTensor a, HostTensor b, Func<double, double, double> function)
    {
        RequireSameShape(a, b);
        var data = new double[a.Length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = function(a.Buffer[i], b.Buffer[i]);
        }
        return HostTensor.Wrap(a.Shape, data);
    }

    private static void RequireSameShape(HostTensor a, HostTensor b)
    {
        if (!a.Shape.SequenceEqual(b.Shape))
        {
            throw new InvalidOperationException(
                $"elementwise operands have shapes {HostTensor.FormatShape(a.Shape)} and {HostTensor.FormatShape(b.Shape)}");
        }
    }
}
