using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>Elementwise activations, the GLU family and softmax.</summary>
internal static class ActivationLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        Elementwise("relu", "max(x, 0).", [], (g, x, _) => Activations.Relu(g, x)),
        Elementwise("leaky_relu", "x for x > 0, else slope·x (einspace's default slope 0.01).", [Float("slope", 0.01)],
            (g, x, a) => Activations.LeakyRelu(g, x, a.Float("slope"))),
        Elementwise("gelu", "x·Φ(x) with the exact erf form, or PyTorch's tanh approximation when approximate = true.",
            [Bool("approximate", false)], (g, x, a) => Activations.Gelu(g, x, a.Bool("approximate"))),
        Elementwise("silu", "x·σ(x) (swish).", [], (g, x, _) => Activations.Silu(g, x)),
        Elementwise("selu", "Self-normalising ELU with λ ≈ 1.0507 and α ≈ 1.6733.", [], (g, x, _) => Activations.Selu(g, x)),
        Elementwise("elu", "x for x > 0, else α(eˣ − 1).", [Float("alpha", 1.0)], (g, x, a) => Activations.Elu(g, x, a.Float("alpha"))),
        Elementwise("sigmoid", "1 / (1 + e⁻ˣ).", [], (g, x, _) => Activations.Sigmoid(g, x)),
        Elementwise("tanh", "tanh x.", [], (g, x, _) => Activations.Tanh(g, x)),
        Elementwise("softplus", "ln(1 + eˣ), computed without overflow.", [], (g, x, _) => Activations.Softplus(g, x)),
        Gated("glu", "Splits dimension dim (the last by default) in halves a, b and returns a·σ(b), as PyTorch's GLU(dim).", Activations.Sigmoid),
        Gated("reglu", "a·relu(b) over the halves of dimension dim (the last by default).", Activations.Relu),
        Gated("geglu", "a·gelu(b) over the halves of dimension dim (the last by default).", (g, x) => Activations.Gelu(g, x, false)),
        Gated("swiglu", "a·silu(b) over the halves of dimension dim (the last by default).", Activations.Silu),
        Softmax("softmax", "Softmax along a dimension (the last by default).", Activations.Softmax),
        Softmax("log_softmax", "log(softmax(x)) along a dimension, computed stably.", Activations.LogSoftmax),
    ];

    private static LayerBuiltin Elementwise(string name, string summary, ImmutableArray<BuiltinParameter> parameters,
        Func<GraphBuilder, Node, BoundArguments, Node> lower) =>
        new(name, summary, "x → x", parameters, (ctx, args, inputs) =>
            ctx.ExpectFloat(inputs[0]) ? LayerContext.Result(lower(ctx.Graph, inputs[0].Node, args)) : null);

    private static LayerBuiltin Gated(string name, string summary, Func<GraphBuilder, Node, Node> gate) =>
        new(name, summary, "(…, 2d, …) → (…, d, …) along dim", [Int("dim", -1)], (ctx, args, inputs) =>
        {
            var x = inputs[0];
            if (!ctx.ExpectFloat(x) || !ctx.ExpectMinRank(x, 1, "a tensor with a feature dimension")
                || ctx.Axis(x, args.Int("dim"), "dim") is not { } axis || !ctx.ExpectFixed(x, axis, "split"))
            {
                return null;
            }
            var size = x.Shape[axis].FixedSize;
            if (size % 2 != 0)
            {
                var which = axis == x.Rank - 1 ? "last dimension" : $"dimension {axis}";
                return ctx.Fail($"needs an even {which} to split in halves, got {x.Type}");
            }
            var g = ctx.Graph;
            var value = g.Slice(x.Node, axis, 0, size / 2);
            var gated = g.Slice(x.Node, axis, size / 2, size);
            return LayerContext.Result(g.Binary(BinaryKind.Mul, value, gate(g, gated)));
        });

    private static LayerBuiltin Softmax(string name, string summary, Func<GraphBuilder, Node, int, Node> lower) =>
        new(name, summary, "x → x", [Int("dim", -1)], (ctx, args, inputs) =>
        {
            var x = inputs[0];
            if (!ctx.ExpectFloat(x) || !ctx.ExpectMinRank(x, 1, "a tensor with at least one dimension"))
            {
                return null;
            }
            return ctx.Axis(x, args.Int("dim"), "dim") is { } axis ? LayerContext.Result(lower(ctx.Graph, x.Node, axis)) : null;
        });
}
