using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Syntax;
using ModelC.Compiler.Text;
using ModelC.Runtime;

namespace ModelC.Compiler.Semantics.Elaboration;

/// <summary>
/// The operators. On compile-time numbers they compute (<c>/</c> of ints is an int when exact,
/// a float otherwise); on tensors they add elementwise nodes with numpy broadcasting, and
/// <c>@</c> is the matrix product.
/// </summary>
internal static class Operators
{
    public static Value Unary(ElaborationContext context, UnaryOperator op, Value operand, Location at) =>
        (op, operand) switch
        {
            (_, ErrorValue) => operand,
            (UnaryOperator.Negate, IntValue { Value: long.MinValue }) => context.Report(ValueDiagnostics.IntegerOverflow(at)),
            (UnaryOperator.Negate, IntValue i) => new IntValue(-i.Value),
            (UnaryOperator.Negate, FloatValue f) => new FloatValue(-f.Value),
            (UnaryOperator.Negate, TensorValue { Type.ElementType: ElementType.F32 } t) => new TensorValue(context.Graph.Unary(UnaryKind.Neg, t.Node)),
            (UnaryOperator.Not, BoolValue b) => new BoolValue(!b.Value),
            (UnaryOperator.Negate, TensorValue t) => context.Report(ShapeDiagnostics.ElementType(at, $"operator '-' needs an f32 tensor, got {t.Type}")),
            _ => context.Report(ValueDiagnostics.UnaryOperatorType(at, SyntaxFacts.Text(op), operand)),
        };

    public static Value Binary(ElaborationContext context, BinaryOperator op, Value left, Value right, Location at)
    {
        if (left is ErrorValue || right is ErrorValue)
        {
            return ErrorValue.Instance;
        }
        if (left is TensorValue || right is TensorValue)
        {
            return Tensor(context, op, left, right, at);
        }
        var result = (op, left, right) switch
        {
            (BinaryOperator.Equal, _, _) => Equal(left, right) is { } eq ? new BoolValue(eq) : null,
            (BinaryOperator.NotEqual, _, _) => Equal(left, right) is { } eq ? new BoolValue(!eq) : null,
            (_, IntValue a, IntValue b) => Integer(context, op, a.Value, b.Value, at),
            (_, IntValue or FloatValue, IntValue or FloatValue) => Real(context, op, Number(left), Number(right), at),
            _ => null,
        };
        return result ?? context.Report(ValueDiagnostics.OperatorTypes(at, SyntaxFacts.Text(op), left, right));
    }

    private static double Number(Value value) => value is IntValue i ? i.Value : ((FloatValue)value).Value;

    private static bool? Equal(Value left, Value right) => (left, right) switch
    {
        (IntValue or FloatValue, IntValue or FloatValue) => Number(left) == Number(right),
        (BoolValue a, BoolValue b) => a.Value == b.Value,
        (StringValue a, StringValue b) => a.Value == b.Value,
        (PaddingValue a, PaddingValue b) => a.Mode == b.Mode,
        (BatchDimValue a, BatchDimValue b) => a.Symbol == b.Symbol,
        (BatchDimValue, IntValue) or (IntValue, BatchDimValue) => false,
        _ => null,
    };

    private static Value? Integer(ElaborationContext context, BinaryOperator op, long a, long b, Location at)
    {
        try
        {
            return op switch
            {
                BinaryOperator.Add => new IntValue(checked(a + b)),
                BinaryOperator.Subtract => new IntValue(checked(a - b)),
                BinaryOperator.Multiply => new IntValue(checked(a * b)),
                BinaryOperator.Divide when b == 0 => context.Report(ValueDiagnostics.DivisionByZero(at)),
                BinaryOperator.Divide when a % b == 0 => new IntValue(a / b),
                BinaryOperator.Divide => new FloatValue((double)a / b),
                BinaryOperator.Modulo when b == 0 => context.Report(ValueDiagnostics.DivisionByZero(at)),
                BinaryOperator.Modulo => new IntValue(FloorModulo(a, b)),
                BinaryOperator.Less => new BoolValue(a < b),
                BinaryOperator.LessOrEqual => new BoolValue(a <= b),
                BinaryOperator.Greater => new BoolValue(a > b),
                BinaryOperator.GreaterOrEqual => new BoolValue(a >= b),
                _ => null,
            };
        }
        catch (OverflowException)
        {
            return context.Report(ValueDiagnostics.IntegerOverflow(at));
        }
    }

    // The remainder with the divisor's sign (Python's %), without overflowing for any operands.
    private static long FloorModulo(long a, long b)
    {
        var r = a % b;
        return r != 0 && (r ^ b) < 0 ? r + b : r;
    }

    private static Value? Real(ElaborationContext context, BinaryOperator op, double a, double b, Location at)
    {
        var result = RealUnchecked(context, op, a, b, at);
        return result is FloatValue { Value: var v } && !double.IsFinite(v) ? context.Report(ValueDiagnostics.FloatOverflow(at)) : result;
    }

    private static Value? RealUnchecked(ElaborationContext context, BinaryOperator op, double a, double b, Location at) => op switch
    {
        BinaryOperator.Add => new FloatValue(a + b),
        BinaryOperator.Subtract => new FloatValue(a - b),
        BinaryOperator.Multiply => new FloatValue(a * b),
        BinaryOperator.Divide when b == 0 => context.Report(ValueDiagnostics.DivisionByZero(at)),
        BinaryOperator.Divide => new FloatValue(a / b),
        BinaryOperator.Less => new BoolValue(a < b),
        BinaryOperator.LessOrEqual => new BoolValue(a <= b),
        BinaryOperator.Greater => new BoolValue(a > b),
        BinaryOperator.GreaterOrEqual => new BoolValue(a >= b),
        _ => null,
    };

    private static Value Tensor(ElaborationContext context, BinaryOperator op, Value left, Value right, Location at)
    {
        var graph = context.Graph;
        BinaryKind? kind = op switch
        {
            BinaryOperator.Add => BinaryKind.Add,
            BinaryOperator.Subtract => BinaryKind.Sub,
            BinaryOperator.Multiply => BinaryKind.Mul,
            BinaryOperator.Divide => BinaryKind.Div,
            _ => null,
        };
        if (op == BinaryOperator.MatMul && left is TensorValue a && right is TensorValue b)
        {
            return MatMul(context, a, b, at);
        }
        if (kind is null || !IsFloatOperand(left) || !IsFloatOperand(right))
        {
            return left is TensorValue { Type.ElementType: not ElementType.F32 } || right is TensorValue { Type.ElementType: not ElementType.F32 }
                ? context.Report(ShapeDiagnostics.ElementType(at, $"operator '{SyntaxFacts.Text(op)}' needs f32 tensors, got {ValueDiagnostics.Describe(left)} and {ValueDiagnostics.Describe(right)}"))
                : context.Report(ValueDiagnostics.OperatorTypes(at, SyntaxFacts.Text(op), left, right));
        }
        var x = Operand(graph, left);
        var y = Operand(graph, right);
        if (GraphBuilder.BroadcastShapes(x.Type.Shape, y.Type.Shape) is not { } shape)
        {
            return context.Report(ShapeDiagnostics.Broadcast(at, SyntaxFacts.Text(op), x.Type, y.Type));
        }
        if (!BatchRule.Holds(shape))
        {
            return context.Report(ShapeDiagnostics.BatchDimension(at,
                $"operator '{SyntaxFacts.Text(op)}' on {x.Type} and {y.Type} would move the batch dimension to {TensorType.F32(shape)}"));
        }
        return new TensorValue(graph.Binary(kind.Value, x, y));
    }

    /// <summary><c>a @ b</c> on tensors, shared with the <c>matmul</c> layer.</summary>
    public static Value MatMul(ElaborationContext context, TensorValue a, TensorValue b, Location at)
    {
        if (a.Type.ElementType != ElementType.F32 || b.Type.ElementType != ElementType.F32)
        {
            return context.Report(ShapeDiagnostics.ElementType(at, $"operator '@' needs f32 tensors, got {a.Type} and {b.Type}"));
        }
        if (LinearAlgebra.MatMulShape(a.Shape, b.Shape) is not { } shape)
        {
            return context.Report(ShapeDiagnostics.LayerShape(at,
                $"cannot multiply {a.Type} by {b.Type}", "'@' needs (..., n, k) and (..., k, m) with equal leading dimensions"));
        }
        if (!BatchRule.Holds(shape))
        {
            return context.Report(ShapeDiagnostics.BatchDimension(at,
                $"operator '@' on {a.Type} and {b.Type} would move the batch dimension to {TensorType.F32(shape)}"));
        }
        return new TensorValue(LinearAlgebra.MatMul(context.Graph, a.Node, b.Node));
    }

    private static bool IsFloatOperand(Value value) =>
        value is IntValue or FloatValue || value is TensorValue { Type.ElementType: ElementType.F32 };

    // A number next to a tensor becomes a scalar constant; numpy broadcasting stretches it.
    private static Node Operand(GraphBuilder graph, Value value) => value switch
    {
        TensorValue t => t.Node,
        _ => graph.Constant(Number(value), TensorType.ScalarF32),
    };
}
