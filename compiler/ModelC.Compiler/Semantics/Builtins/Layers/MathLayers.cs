using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>
/// Elementwise math on tensors, each one IR primitive: exp, log, abs, sin, cos, sqrt and pow.
/// The one-argument functions also compute on a number at compile time.
/// </summary>
internal static class MathLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        Unary("exp", "eˣ elementwise; exp(number) is computed at compile time.", UnaryKind.Exp, new(Math.Exp)),
        Unary("log", "Natural logarithm elementwise (−∞ at 0, NaN below, as PyTorch); log(number) needs a positive number.", UnaryKind.Log,
            new(Math.Log, x => x > 0 ? null : $"must be positive, got {new FloatValue(x).Display}")),
        Unary("abs", "|x| elementwise (gradient sign(x), 0 at 0, as PyTorch).", UnaryKind.Abs, new(Math.Abs)),
        Unary("sin", "sin x elementwise (SIREN's activation, Fourier features).", UnaryKind.Sin, new(Math.Sin)),
        Unary("cos", "cos x elementwise.", UnaryKind.Cos, new(Math.Cos)),
        Unary("sqrt", "√x elementwise (NaN below 0, as PyTorch); sqrt(number) is the compile-time square root of a number ≥ 0.", UnaryKind.Sqrt,
            new(Math.Sqrt, x => x >= 0 ? null : $"must not be negative, got {new FloatValue(x).Display}")),
        new LayerBuiltin("pow", "xᵖ elementwise, PyTorch's x.pow(p): NaN for a negative base and a fractional p.", "x → x",
            [Float("p")], (ctx, args, inputs) =>
                ctx.ExpectFloat(inputs[0]) ? LayerContext.Result(ctx.Graph.Binary(BinaryKind.Pow, inputs[0].Node, args.Float("p"))) : null),
    ];

    private static LayerBuiltin Unary(string name, string summary, UnaryKind kind, NumberForm number) =>
        new(name, summary, "x → x", [], (ctx, _, inputs) =>
            ctx.ExpectFloat(inputs[0]) ? LayerContext.Result(ctx.Graph.Unary(kind, inputs[0].Node)) : null)
        {
            OnNumber = number,
        };
}
