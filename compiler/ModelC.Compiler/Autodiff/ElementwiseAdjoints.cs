using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Autodiff;

/// <summary>Adjoints of the elementwise ops: unary functions, binary arithmetic and select.</summary>
internal static class ElementwiseAdjoints
{
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    /// <summary>dx = dy · f′(x), written with the result y where that is cheaper.</summary>
    public static Node? Unary(GraphBuilder g, UnaryKind kind, Node y, Node dy)
    {
        var x = y.Inputs[0];
        Node Mul(Node a, Node b) => g.Binary(BinaryKind.Mul, a, b);
        return kind switch
        {
            UnaryKind.Neg => g.Unary(UnaryKind.Neg, dy),
            UnaryKind.Exp => Mul(dy, y),
            UnaryKind.Log => g.Binary(BinaryKind.Div, dy, x),
            UnaryKind.Sqrt => g.Binary(BinaryKind.Div, g.Binary(BinaryKind.Mul, dy, 0.5), y),
            UnaryKind.Reciprocal => g.Unary(UnaryKind.Neg, Mul(dy, Mul(y, y))),
            UnaryKind.Tanh => Mul(dy, g.Binary(BinaryKind.Sub, g.Filled(1, y), Mul(y, y))),
            UnaryKind.Erf => Mul(g.Binary(BinaryKind.Mul, dy, TwoOverSqrtPi), g.Unary(UnaryKind.Exp, g.Unary(UnaryKind.Neg, Mul(x, x)))),
            UnaryKind.Sin => Mul(dy, g.Unary(UnaryKind.Cos, x)),
            UnaryKind.Cos => g.Unary(UnaryKind.Neg, Mul(dy, g.Unary(UnaryKind.Sin, x))),
            UnaryKind.Abs => Mul(dy, g.Unary(UnaryKind.Sign, x)),
            UnaryKind.Sign => null,
            _ => throw new InvalidOperationException($"no adjoint for {kind}"),
        };
    }

    /// <summary>
    /// The adjoints of both operands. Max and min pass the adjoint to the chosen operand and
    /// split it evenly on ties, as <c>torch.maximum</c> does.
    /// </summary>
    public static Node?[] Binary(GraphBuilder g, BinaryKind kind, Node y, Node dy, bool[] needed)
    {
        var (a, b) = (y.Inputs[0], y.Inputs[1]);
        Node Mul(Node p, Node q) => g.Binary(BinaryKind.Mul, p, q);
        switch (kind)
        {
            case BinaryKind.Add:
                return [dy, dy];
            case BinaryKind.Sub:
                return [dy, needed[1] ? g.Unary(UnaryKind.Neg, dy) : null];
            case BinaryKind.Mul:
                return [needed[0] ? Mul(dy, b) : null, needed[1] ? Mul(dy, a) : null];
            case BinaryKind.Div:
                var da = needed[0] || needed[1] ? g.Binary(BinaryKind.Div, dy, b) : null;
                return [da, needed[1] ? g.Unary(UnaryKind.Neg, Mul(da!, y)) : null];
            case BinaryKind.Max or BinaryKind.Min:
                var wins = g.Compare(kind == BinaryKind.Max ? CompareKind.Gt : CompareKind.Lt, a, b);
                var share = g.Select(wins, g.Filled(1, y), g.Select(g.Compare(CompareKind.Eq, a, b), g.Filled(0.5, y), g.Filled(0, y)));
                return [needed[0] ? Mul(dy, share) : null, needed[1] ? Mul(dy, g.Binary(BinaryKind.Sub, g.Filled(1, y), share)) : null];
            case BinaryKind.Pow:
                var dBase = needed[0] ? Mul(Mul(dy, b), g.Binary(BinaryKind.Pow, a, g.Binary(BinaryKind.Sub, b, 1.0))) : null;
                return [dBase, needed[1] ? Mul(Mul(dy, y), g.Unary(UnaryKind.Log, a)) : null];
            default:
                throw new InvalidOperationException($"no adjoint for {kind}");
        }
    }

    /// <summary>The adjoint goes to the branch that was taken; the condition has none.</summary>
    public static Node?[] Select(GraphBuilder g, Node y, Node dy)
    {
        var condition = y.Inputs[0];
        var zero = g.Filled(0, y);
        return [null, g.Select(condition, dy, zero), g.Select(condition, zero, dy)];
    }
}
