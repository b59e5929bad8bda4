using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Lowering;

/// <summary>
/// Dropout and alpha dropout in the train-step graph. The keep mask is drawn in the graph by
/// <see cref="CounterHash"/> from (salt, step, element index), so no random state lives in
/// kernels, the backward pass recomputes the forward's mask, and every backend — whose i32
/// arithmetic wraps alike — draws the same bits.
/// </summary>
public static class Dropout
{
    // −λα of SELU: the value a dropped SELU unit takes (torch.nn.functional.alpha_dropout's alpha).
    private const double SeluNegativeSaturation = 1.7580993408473766;

    /// <summary>
    /// x·m/(1 − p) with m ∈ {0, 1} kept with probability 1 − p (torch.nn.functional.dropout in
    /// training), for the step count <paramref name="step"/> (an f32 scalar) and a per-site <paramref name="salt"/>.
    /// </summary>
    public static Node Standard(GraphBuilder g, Node x, Node step, int salt, double p)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(x);
        var keep = KeepMask(g, x.Type.Shape, step, salt, p);
        return g.Select(keep, g.Binary(BinaryKind.Mul, x, 1 / (1 - p)), g.Filled(0, x));
    }

    /// <summary>
    /// Alpha dropout for SELU networks (torch.nn.functional.alpha_dropout in training): dropped
    /// units take SELU's negative saturation −λα, then an affine map a·y + b restores the input's
    /// mean and variance, a = ((1 − p)(1 + p·λ²α²))^−½, b = a·λα·p.
    /// </summary>
    public static Node Alpha(GraphBuilder g, Node x, Node step, int salt, double p)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(x);
        const double alpha = SeluNegativeSaturation;
        var a = 1 / Math.Sqrt((alpha * alpha * p + 1) * (1 - p));
        var keep = KeepMask(g, x.Type.Shape, step, salt, p);
        var kept = g.Binary(BinaryKind.Add, g.Binary(BinaryKind.Mul, x, a), alpha * a * p);
        return g.Select(keep, kept, g.Filled(alpha * a * (p - 1), x));
    }

    /// <summary>
    /// The bool tensor of <paramref name="shape"/> that is true with probability 1 − p per element:
    /// the counter hash of each element, uniform over the 2³² i32 values, compared with the
    /// quantile p (an integer comparison, so exact on every backend).
    /// </summary>
    public static Node KeepMask(GraphBuilder g, Shape shape, Node step, int salt, double p)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(shape);
        var hash = CounterHash.Draw(g, shape, step, salt);
        var threshold = Math.Min(Math.Round(p * 4294967296.0) - 2147483648.0, int.MaxValue);
        return g.Compare(CompareKind.Ge, hash, g.Constant(threshold, hash.Type));
    }
}
