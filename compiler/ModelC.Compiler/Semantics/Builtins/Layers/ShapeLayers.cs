using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Values;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>Layers that rearrange or reduce dimensions. The first (batch) dimension is kept by reshape and flatten.</summary>
internal static class ShapeLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        new LayerBuiltin("reshape", "Rearranges the dimensions after the first into the given ones; one may be -1 and is inferred.",
            "(B, …) → (B, dims…)", [Ints("dims")], Reshape),
        new LayerBuiltin("flatten", "Joins every dimension after the first.", "(B, d₁, …, dₙ) → (B, d₁·…·dₙ)", [], Flatten),
        new LayerBuiltin("permute", "Reorders all dimensions (including the first): output dimension i is input dimension dims[i].",
            "(d₀, …) → (d_dims[0], …)", [Ints("dims")], Permute),
        new LayerBuiltin("transpose", "Swaps two dimensions.", "(…, a, …, b, …) → (…, b, …, a, …)",
            [Int("a", -2), Int("b", -1)], Transpose),
        new LayerBuiltin("expand", "Repeats the input along new leading dimensions and stretches its dimensions of size 1, as torch's expand: dims align with the input's dimensions from the right, -1 keeps one, and the batch may come first (`expand(B, 1, d)` puts a learned CLS token in every sample).",
            "(d₁, …, dₙ) → (dims…)", [AnyList("dims")], Expand),
        new LayerBuiltin("mean", "Averages over the given dimensions, which disappear.", "(…) → (…) without dims", [Ints("dims")],
            (ctx, args, inputs) => Reduce(ctx, args, inputs[0], mean: true)),
        new LayerBuiltin("sum", "Sums over the given dimensions, which disappear.", "(…) → (…) without dims", [Ints("dims")],
            (ctx, args, inputs) => Reduce(ctx, args, inputs[0], mean: false)),
    ];

    private static TensorValue? Reshape(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        var dims = args.Ints("dims");
        if (!ctx.ExpectMinRank(x, 1, "a tensor with a batch dimension"))
        {
            return null;
        }
        if (x.Shape.Dims.Skip(1).Any(d => !d.IsFixed))
        {
            return ctx.FailBatch($"cannot reshape a symbolic dimension of {x.Type}");
        }
        var count = x.Shape.Dims.Skip(1).Aggregate(1L, (n, d) => n * d.FixedSize);
        var inferred = dims.Count(d => d == -1);
        var known = dims.Where(d => d != -1).Aggregate(1L, (n, d) => n * d);
        if (dims.Any(d => d == 0 || d < -1) || inferred > 1)
        {
            return ctx.Fail("needs positive dimensions, with at most one -1");
        }
        if (inferred == 1 ? known == 0 || count % known != 0 : known != count)
        {
            return ctx.Fail($"cannot arrange the {count} elements after the first dimension of {x.Type} as [{string.Join(", ", dims)}]");
        }
        var resolved = dims.Select(d => d == -1 ? (int)(count / known) : d);
        return LayerContext.Result(ctx.Graph.Reshape(x.Node, Shape.Of(resolved.Select(Dim.Of).Prepend(x.Shape[0]))));
    }

    private static TensorValue? Expand(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        var dims = ((ListValue)args["dims"]).Items;
        var added = dims.Length - x.Rank;
        if (added < 0)
        {
            return ctx.Fail($"needs at least the {x.Rank} dimensions of {x.Type}, got {dims.Length}");
        }
        var target = new Dim[dims.Length];
        for (var j = 0; j < dims.Length; j++)
        {
            Dim? given = dims[j] switch
            {
                IntValue { Value: > 0 and <= int.MaxValue } d => Dim.Of((int)d.Value),
                BatchDimValue batch => Dim.Symbolic(batch.Symbol),
                IntValue { Value: -1 } when j >= added => x.Shape[j - added],
                _ => null,
            };
            if (given is not { } dim)
            {
                return ctx.Fail($"dimension {j} must be a positive int, the batch, or -1 for one of the input's, got {dims[j].Display}");
            }
            if (j >= added && x.Shape[j - added] != dim && x.Shape[j - added] != Dim.Of(1))
            {
                return ctx.Fail($"cannot expand dimension {j - added} of {x.Type} to {dim}: only dimensions of size 1 stretch");
            }
            target[j] = dim;
        }
        var shape = Shape.Of(target);
        return BatchRule.Holds(shape)
            ? LayerContext.Result(ctx.Graph.BroadcastAlong(x.Node, shape, [.. Enumerable.Range(added, x.Rank)]))
            : ctx.FailBatch($"the batch can only be the first dimension, got {x.Type.WithShape(shape)}");
    }

    private static TensorValue? Flatten(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        if (!ctx.ExpectMinRank(x, 2, "a tensor with dimensions after the batch"))
        {
            return null;
        }
        if (x.Shape.Dims.Skip(1).Any(d => !d.IsFixed))
        {
            return ctx.FailBatch($"cannot flatten a symbolic dimension of {x.Type}");
        }
        var count = x.Shape.Dims.Skip(1).Aggregate(1, (n, d) => n * d.FixedSize);
        return LayerContext.Result(ctx.Graph.Reshape(x.Node, Shape.Of([x.Shape[0], count])));
    }

    private static TensorValue? Permute(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        var dims = args.Ints("dims").Select(d => d < 0 ? d + x.Rank : d).ToArray();
        if (dims.Length != x.Rank || !dims.Order().SequenceEqual(Enumerable.Range(0, x.Rank)))
        {
            return ctx.Fail($"needs a permutation of the {x.Rank} dimensions of {x.Type}");
        }
        return MovesBatch(x, dims)
            ? ctx.FailBatch($"would move the batch dimension of {x.Type}")
            : LayerContext.Result(ctx.Graph.Permute(x.Node, dims));
    }

    private static TensorValue? Transpose(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var x = inputs[0];
        if (ctx.Axis(x, args.Int("a"), "a") is not { } a || ctx.Axis(x, args.Int("b"), "b") is not { } b)
        {
            return null;
        }
        var dims = Enumerable.Range(0, x.Rank).ToArray();
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return MovesBatch(x, dims)
            ? ctx.FailBatch($"would move the batch dimension of {x.Type}")
            : LayerContext.Result(ctx.Graph.Permute(x.Node, dims));
    }

    private static TensorValue? Reduce(LayerContext ctx, BoundArguments args, TensorValue x, bool mean)
    {
        if (!ctx.ExpectFloat(x))
        {
            return null;
        }
        var requested = args.Ints("dims");
        if (requested.Length == 0)
        {
            return ctx.Fail("needs the dimensions to reduce, e.g. mean(1)");
        }
        var axes = new List<int>();
        foreach (var dim in requested)
        {
            if (ctx.Axis(x, dim, "dim") is not { } axis)
            {
                return null;
            }
            if (axes.Contains(axis))
            {
                return ctx.Fail($"names dimension {axis} twice");
            }
            axes.Add(axis);
        }
        var node = mean ? ctx.Graph.Mean(x.Node, [.. axes]) : ctx.Graph.Reduce(ReduceKind.Sum, x.Node, [.. axes]);
        return LayerContext.Result(node);
    }

    private static bool MovesBatch(TensorValue x, int[] permutation) =>
        Enumerable.Range(0, x.Rank).Any(i => !x.Shape[permutation[i]].IsFixed && permutation[i] != i);
}
