using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>einspace's computation modules with weights: identity, linear, embedding, positional encodings, scaling, RBF features.</summary>
internal static class LinearLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        new LayerBuiltin("identity", "Returns its input unchanged.", "x → x", [], (_, _, inputs) => inputs[0]),
        new LayerBuiltin("linear", "Affine map on the last dimension, y = x·Wᵀ + b, with PyTorch's layout and initialisation (W is [out, in]).",
            "(…, in) → (…, out)", [Int("out", Checks.Positive), Bool("bias", true), WeightInit()], Linear),
        new LayerBuiltin("scale", "Multiplies by a constant.", "x → x", [Float("factor")], Scale),
        new LayerBuiltin("embedding", "Looks up rows of a learned table [vocab, dim] by integer ids. Ids fed by a model input must lie in [0, vocab): the runtime refuses others before a run (naming the input, the element and the value); ids computed inside the model are clamped into the table.",
            "i32(…) → f32(…, dim)", [Int("vocab", Checks.Positive), Int("dim", Checks.Positive), WeightInit()], Embedding),
        new LayerBuiltin("pos_enc", "Adds a learned positional encoding with the input's shape minus the batch (einspace's pos_enc).",
            "(B, …) → (B, …)", [], PositionalEncoding),
        new LayerBuiltin("rbf", "Gaussian radial-basis features of each element on a uniform grid of centers, the basis of FastKAN layers.",
            "(…, D) → (…, D, centers)", [Int("centers", v => v is IntValue { Value: < 2 } i ? $"must be at least 2, got {i.Display}" : null), Float("low", -2.0), Float("high", 2.0)],
            RadialBasis),
    ];

    private static TensorValue? Linear(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        if (!ctx.ExpectFloat(x) || !ctx.ExpectMinRank(x, 1, "a tensor with a feature dimension") || !ctx.ExpectFixed(x, x.Rank - 1, "transform"))
        {
            return null;
        }
        var fanIn = x.Shape[x.Rank - 1].FixedSize;
        var outFeatures = args.Int("out");
        var init = FanInUniform(fanIn);
        var weight = ctx.Weight(args, Shape.Of(outFeatures, fanIn), init);
        var bias = args.Bool("bias") ? ctx.Parameter("bias", Shape.Of(outFeatures), init) : null;
        return LayerContext.Result(LinearAlgebra.Linear(ctx.Graph, x.Node, weight, bias));
    }

    /// <summary>PyTorch's default for linear and conv layers: U(−1/√fan_in, 1/√fan_in).</summary>
    public static ParameterInit FanInUniform(int fanIn)
    {
        var bound = 1 / Math.Sqrt(fanIn);
        return new UniformInit(-bound, bound);
    }

    private static TensorValue? Scale(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs) =>
        ctx.ExpectFloat(inputs[0]) ? LayerContext.Result(ctx.Graph.Binary(BinaryKind.Mul, inputs[0].Node, args.Float("factor"))) : null;

    private static TensorValue? Embedding(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var ids = inputs[0];
        if (!ctx.ExpectInt(ids, "token ids"))
        {
            return null;
        }
        var table = ctx.Weight(args, Shape.Of(args.Int("vocab"), args.Int("dim")), new NormalInit(0, 1));
        return LayerContext.Result(ctx.Graph.Add(new GatherOp(0), table, ids.Node));
    }

    private static TensorValue? PositionalEncoding(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        if (!ctx.ExpectFloat(x) || !ctx.ExpectMinRank(x, 2, "a batch of sequences or images (B, ...)"))
        {
            return null;
        }
        var rest = x.Shape.Dims.Skip(1).ToList();
        if (rest.Any(d => !d.IsFixed))
        {
            return ctx.FailBatch($"needs fixed dimensions after the batch, got {x.Type}");
        }
        var table = ctx.Parameter("weight", Shape.Of(rest), new NormalInit(0, 1));
        return LayerContext.Result(ctx.Graph.Binary(BinaryKind.Add, x.Node, table));
    }

    private static TensorValue? RadialBasis(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        var (count, low, high) = (args.Int("centers"), args.Float("low"), args.Float("high"));
        if (!ctx.ExpectFloat(x) || !ctx.ExpectMinRank(x, 1, "a tensor with a feature dimension"))
        {
            return null;
        }
        if (high <= low)
        {
            return ctx.Fail($"needs low < high, got low = {low} and high = {high}");
        }
        var g = ctx.Graph;
        var step = (high - low) / (count - 1);
        var shape = Shape.Of(x.Shape.Dims.Append(count));
        var centers = g.Binary(BinaryKind.Add, g.Binary(BinaryKind.Mul, g.Add(new IotaOp(0, TensorType.F32(Shape.Of(count)))), step), low);
        var spread = g.Binary(BinaryKind.Sub, g.BroadcastAlong(x.Node, shape, [.. Enumerable.Range(0, x.Rank)]), g.BroadcastTo(centers, shape));
        var z = g.Binary(BinaryKind.Mul, spread, 1 / step);
        return LayerContext.Result(g.Unary(UnaryKind.Exp, g.Unary(UnaryKind.Neg, g.Binary(BinaryKind.Mul, z, z))));
    }
}
