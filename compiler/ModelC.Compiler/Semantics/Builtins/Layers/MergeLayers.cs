using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using ModelC.Runtime;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>einspace's aggregations: the merges of a branch, also callable on tensors directly.</summary>
internal static class MergeLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        new LayerBuiltin("add", "Sums its inputs, which must have equal shapes.", "(x₁, …, xₙ) → x₁ + … + xₙ", [],
            (ctx, _, inputs) => Fold(ctx, inputs, BinaryKind.Add), arity: null, minimumInputs: 2),
        new LayerBuiltin("mul", "Multiplies its inputs elementwise; shapes must be equal.", "(x₁, …, xₙ) → x₁ · … · xₙ", [],
            (ctx, _, inputs) => Fold(ctx, inputs, BinaryKind.Mul), arity: null, minimumInputs: 2),
        new LayerBuiltin("concat", "Joins its inputs along a dimension; the other dimensions must agree.",
            "(…, aᵢ, …) → (…, Σaᵢ, …)", [Int("dim", -1)], Concat, arity: null, minimumInputs: 1),
        new LayerBuiltin("matmul", "Matrix product of two inputs over their last two dimensions, a @ b.",
            "((…, n, k), (…, k, m)) → (…, n, m)", [], (ctx, _, inputs) => MatMul(ctx, inputs, scaled: false), arity: 2),
        new LayerBuiltin("scaled_matmul", "a @ b / √k, with k the last dimension of a (attention scores).",
            "((…, n, k), (…, k, m)) → (…, n, m)", [], (ctx, _, inputs) => MatMul(ctx, inputs, scaled: true), arity: 2),
    ];

    private static TensorValue? Fold(LayerContext ctx, ImmutableArray<TensorValue> inputs, BinaryKind kind)
    {
        if (!inputs.All(ctx.ExpectFloat))
        {
            return null;
        }
        if (inputs.Any(i => i.Type != inputs[0].Type))
        {
            return ctx.Fail($"needs inputs of equal shape, got {string.Join(" and ", inputs.Select(i => i.Type.ToString()).Distinct())}");
        }
        var result = inputs[0].Node;
        foreach (var input in inputs.Skip(1))
        {
            result = ctx.Graph.Binary(kind, result, input.Node);
        }
        return LayerContext.Result(result);
    }

    private static TensorValue? Concat(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var first = inputs[0];
        if (ctx.Axis(first, args.Int("dim"), "dim") is not { } axis || !ctx.ExpectFixed(first, axis, "concatenate along"))
        {
            return null;
        }
        if (inputs.FirstOrDefault(i => i.Type.ElementType != first.Type.ElementType) is { } other)
        {
            return ctx.FailElementType($"needs inputs of one element type, got {first.Type} and {other.Type}");
        }
        var fits = inputs.All(i => i.Rank == first.Rank
            && i.Shape[axis].IsFixed && Enumerable.Range(0, first.Rank).All(d => d == axis || i.Shape[d] == first.Shape[d]));
        if (!fits)
        {
            return ctx.Fail($"needs inputs that differ only in dimension {axis}, got {string.Join(" and ", inputs.Select(i => i.Type.ToString()).Distinct())}");
        }
        return LayerContext.Result(ctx.Graph.Concat(axis, [.. inputs.Select(i => i.Node)]));
    }

    private static TensorValue? MatMul(LayerContext ctx, ImmutableArray<TensorValue> inputs, bool scaled)
    {
        var (a, b) = (inputs[0], inputs[1]);
        if (!ctx.ExpectFloat(a) || !ctx.ExpectFloat(b))
        {
            return null;
        }
        if (LinearAlgebra.MatMulShape(a.Shape, b.Shape) is null)
        {
            return ctx.Fail($"cannot multiply {a.Type} by {b.Type}", "it needs (..., n, k) and (..., k, m) with equal leading dimensions");
        }
        var product = LinearAlgebra.MatMul(ctx.Graph, a.Node, b.Node);
        if (scaled)
        {
            var k = a.Shape[a.Rank - 1];
            if (!k.IsFixed)
            {
                return ctx.FailBatch($"cannot scale by the batch dimension of {a.Type}");
            }
            product = ctx.Graph.Binary(BinaryKind.Mul, product, 1 / Math.Sqrt(k.FixedSize));
        }
        return LayerContext.Result(product);
    }
}
