using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime.Manifest;

namespace ModelC.Compiler.Passes.Optimizers;

/// <summary>
/// One optimizer's update of a parameter, as graph nodes, with <c>torch.optim</c>'s formulas and
/// state names (<c>optimizer.NAME.exp_avg</c>, <c>exp_avg_sq</c>, <c>momentum_buffer</c>).
/// Each moment's update goes through <paramref name="guard"/> (new value, old value → the value
/// kept), and the parameter's update reads the guarded moment: the moment's new value is then
/// stored once, as its update, not also as a temporary for the parameter's.
/// </summary>
internal sealed class OptimizerRule(GraphBuilder builder, OptimizerSpec optimizer, Node rate, Node step, Func<Node, Node, Node> guard)
{
    private Node? _stepSize;
    private Node? _correction2;

    /// <summary>The parameter's value after the step (guarded), given its gradient.</summary>
    public Node Update(Node parameter, Node gradient) => guard(optimizer.Kind switch
    {
        OptimizerKind.Sgd => Sgd(parameter, gradient),
        _ => Adam(parameter, gradient),
    }, parameter);

    // p ← p − lr·d with d = g + wd·p, or with momentum b ← μ·b + d and d = b (Nesterov: d + μ·b).
    private Node Sgd(Node parameter, Node gradient)
    {
        var direction = WithL2(parameter, gradient);
        if (optimizer.Momentum > 0)
        {
            var buffer = Moment(parameter, "momentum_buffer", optimizer.Momentum, direction, 1.0);
            direction = optimizer.Nesterov
                ? builder.Binary(BinaryKind.Add, direction, builder.Binary(BinaryKind.Mul, buffer, optimizer.Momentum))
                : buffer;
        }
        return builder.Binary(BinaryKind.Sub, parameter, builder.Binary(BinaryKind.Mul, direction, rate));
    }

    // m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², p ← p − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε);
    // AdamW first decays p ← p·(1 − lr·wd), Adam adds wd·p to g.
    private Node Adam(Node parameter, Node gradient)
    {
        var start = parameter;
        if (optimizer.Kind == OptimizerKind.AdamW && optimizer.WeightDecay > 0)
        {
            var decay = builder.Binary(BinaryKind.Sub, builder.Constant(1, TensorType.ScalarF32), builder.Binary(BinaryKind.Mul, rate, optimizer.WeightDecay));
            start = builder.Binary(BinaryKind.Mul, parameter, decay);
        }
        gradient = WithL2(parameter, gradient);
        var first = Moment(parameter, "exp_avg", optimizer.Beta1, gradient, 1 - optimizer.Beta1);
        var second = Moment(parameter, "exp_avg_sq", optimizer.Beta2, builder.Binary(BinaryKind.Mul, gradient, gradient), 1 - optimizer.Beta2);
        _stepSize ??= builder.Binary(BinaryKind.Div, rate, Correction(optimizer.Beta1));
        _correction2 ??= builder.Unary(UnaryKind.Sqrt, Correction(optimizer.Beta2));
        var denominator = builder.Binary(BinaryKind.Add, builder.Binary(BinaryKind.Div, builder.Unary(UnaryKind.Sqrt, second), _correction2), optimizer.Epsilon);
        var change = builder.Binary(BinaryKind.Mul, builder.Binary(BinaryKind.Div, first, denominator), _stepSize);
        return builder.Binary(BinaryKind.Sub, start, change);
    }

    private Node WithL2(Node parameter, Node gradient) =>
        optimizer.WeightDecay > 0 && optimizer.Kind != OptimizerKind.AdamW
            ? builder.Binary(BinaryKind.Add, gradient, builder.Binary(BinaryKind.Mul, parameter, optimizer.WeightDecay))
            : gradient;

    // 1 − βᵗ for the step number t (already incremented for this step).
    private Node Correction(double beta) =>
        builder.Binary(BinaryKind.Sub, builder.Constant(1, TensorType.ScalarF32),
            builder.Binary(BinaryKind.Pow, builder.Constant(beta, TensorType.ScalarF32), step));

    // A zero-initialised running average s ← decay·s + weight·value, kept as a state.
    private Node Moment(Node parameter, string kind, double decay, Node value, double weight)
    {
        var name = $"optimizer.{((ParameterOp)parameter.Op).Name}.{kind}";
        var state = builder.State(name, parameter.Type, new ConstantInit(0));
        var weighted = weight == 1.0 ? value : builder.Binary(BinaryKind.Mul, value, weight);
        var next = guard(builder.Binary(BinaryKind.Add, builder.Binary(BinaryKind.Mul, state, decay), weighted), state);
        builder.StateUpdate(name, next);
        return next;
    }
}
