using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Lowering;

/// <summary>Elementwise activation functions as compositions of primitives.</summary>
public static class Activations
{
    // SELU's constants (Klambauer et al. 2017), as PyTorch uses them.
    private const double SeluAlpha = 1.6732632423543772848170429916717;
    private const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>max(x, 0)</summary>
    public static Node Relu(GraphBuilder g, Node x) => g.Binary(BinaryKind.Max, x, 0.0);

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    public static Node LeakyRelu(GraphBuilder g, Node x, double slope) =>
        g.Select(g.Compare(CompareKind.Gt, x, g.Filled(0, x)), x, g.Binary(BinaryKind.Mul, x, slope));

    /// <summary>GELU, exact (erf) or with PyTorch's tanh approximation.</summary>
    public static Node Gelu(GraphBuilder g, Node x, bool approximate)
    {
        Node inner;
        if (approximate)
        {
            var cube = g.Binary(BinaryKind.Mul, g.Binary(BinaryKind.Mul, x, x), x);
            var poly = g.Binary(BinaryKind.Add, x, g.Binary(BinaryKind.Mul, cube, 0.044715));
            inner = g.Unary(UnaryKind.Tanh, g.Binary(BinaryKind.Mul, poly, Math.Sqrt(2 / Math.PI)));
        }
        else
        {
            inner = g.Unary(UnaryKind.Erf, g.Binary(BinaryKind.Mul, x, 1 / Math.Sqrt(2)));
        }
        return g.Binary(BinaryKind.Mul, g.Binary(BinaryKind.Mul, x, 0.5), g.Binary(BinaryKind.Add, inner, 1.0));
    }

    /// <summary>1 / (1 + e⁻ˣ)</summary>
    public static Node Sigmoid(GraphBuilder g, Node x) =>
        g.Unary(UnaryKind.Reciprocal, g.Binary(BinaryKind.Add, g.Unary(UnaryKind.Exp, g.Unary(UnaryKind.Neg, x)), 1.0));

    /// <summary>x · σ(x)</summary>
    public static Node Silu(GraphBuilder g, Node x) => g.Binary(BinaryKind.Mul, x, Sigmoid(g, x));

    /// <summary>tanh x</summary>
    public static Node Tanh(GraphBuilder g, Node x) => g.Unary(UnaryKind.Tanh, x);

    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    public static Node Elu(GraphBuilder g, Node x, double alpha)
    {
        // exp(min(x, 0)) keeps the unused branch finite, so gradients through select stay finite too.
        var negative = g.Binary(BinaryKind.Sub, g.Unary(UnaryKind.Exp, g.Binary(BinaryKind.Min, x, 0.0)), 1.0);
        return g.Select(g.Compare(CompareKind.Gt, x, g.Filled(0, x)), x, g.Binary(BinaryKind.Mul, negative, alpha));
    }

    /// <summary>SELU: λ·ELU_α(x) with the self-normalising constants.</summary>
    public static Node Selu(GraphBuilder g, Node x) => g.Binary(BinaryKind.Mul, Elu(g, x, SeluAlpha), SeluScale);

    /// <summary>ln(1 + eˣ), computed as max(x, 0) + ln(1 + e^−|x|) so it never overflows.</summary>
    public static Node Softplus(GraphBuilder g, Node x)
    {
        var tail = Log1p(g, g.Unary(UnaryKind.Exp, g.Unary(UnaryKind.Neg, g.Unary(UnaryKind.Abs, x))));
        return g.Binary(BinaryKind.Add, Relu(g, x), tail);
    }

    /// <summary>
    /// ln(1 + t), accurate for tiny t where 1 + t rounds to 1. With u = 1 + t as rounded,
    /// ln(u)·t / (u − 1) cancels the rounding error of u; where u is exactly 1 the result is t.
    /// The denominator is made safe so that neither branch of the select produces a NaN.
    /// </summary>
    public static Node Log1p(GraphBuilder g, Node t)
    {
        var u = g.Binary(BinaryKind.Add, t, 1.0);
        var rounded = g.Binary(BinaryKind.Sub, u, 1.0);
        var roundsToOne = g.Compare(CompareKind.Eq, rounded, g.Filled(0.0, t));
        var denominator = g.Select(roundsToOne, g.Filled(1.0, t), rounded);
        var corrected = g.Binary(BinaryKind.Mul, g.Unary(UnaryKind.Log, u), g.Binary(BinaryKind.Div, t, denominator));
        return g.Select(roundsToOne, t, corrected);
    }

    /// <summary>Softmax along an axis, shifted by the maximum for stability.</summary>
    public static Node Softmax(GraphBuilder g, Node x, int axis)
    {
        var shifted = ShiftByMax(g, x, axis);
        var exp = g.Unary(UnaryKind.Exp, shifted);
        var sum = g.Unreduce(g.Reduce(ReduceKind.Sum, exp, axis), x.Type.Shape, axis);
        return g.Binary(BinaryKind.Div, exp, sum);
    }

    /// <summary>log(softmax(x)) along an axis, as (x − max) − log Σ e^(x − max).</summary>
    public static Node LogSoftmax(GraphBuilder g, Node x, int axis)
    {
        var shifted = ShiftByMax(g, x, axis);
        var logSum = g.Unary(UnaryKind.Log, g.Reduce(ReduceKind.Sum, g.Unary(UnaryKind.Exp, shifted), axis));
        return g.Binary(BinaryKind.Sub, shifted, g.Unreduce(logSum, x.Type.Shape, axis));
    }

    // Any shift leaves softmax unchanged, so the maximum is a constant to reverse mode.
    private static Node ShiftByMax(GraphBuilder g, Node x, int axis)
    {
        var max = g.Unreduce(g.Add(new ReduceOp(ReduceKind.Max, [axis], StopsGradient: true), x), x.Type.Shape, axis);
        return g.Binary(BinaryKind.Sub, x, max);
    }
}
