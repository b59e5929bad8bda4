using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Values;
using ModelC.Runtime;
using static ModelC.Compiler.Semantics.Builtins.Params;

namespace ModelC.Compiler.Semantics.Builtins.Layers;

/// <summary>
/// Triangular masks over the last two dimensions, built in the graph from index tensors (no mask
/// input): tril and triu, with the masked elements set to <c>fill</c>, so that
/// <c>tril(fill = -1e9) >> softmax</c> is causal attention's masked softmax.
/// </summary>
internal static class MaskLayers
{
    public static ImmutableArray<Builtin> All { get; } =
    [
        Triangle("tril", "Keeps the elements on and below diagonal `diagonal` (column − row ≤ diagonal) and sets the rest to fill, as torch.tril (fill 0) or x.masked_fill(triu(ones, diagonal + 1), fill).",
            CompareKind.Le),
        Triangle("triu", "Keeps the elements on and above diagonal `diagonal` (column − row ≥ diagonal) and sets the rest to fill, as torch.triu (fill 0).",
            CompareKind.Ge),
        new LayerBuiltin("masked_fill", "Sets the elements of x where the mask is non-zero to fill, as torch's x.masked_fill(mask, fill); the mask (f32 or i32, an input or computed) broadcasts to x's shape.",
            "(x: s, mask: broadcasts to s) → s", [Float("fill", 0.0)], MaskedFill, arity: 2),
    ];

    private static TensorValue? MaskedFill(LayerContext ctx, BoundArguments args, ImmutableArray<TensorValue> inputs)
    {
        var (x, mask) = (inputs[0], inputs[1]);
        if (!ctx.ExpectFloat(x))
        {
            return null;
        }
        if (GraphBuilder.BroadcastShapes(mask.Shape, x.Shape) != x.Shape)
        {
            return ctx.Fail($"cannot broadcast the mask {mask.Type} to {x.Type}", "the mask's dimensions must be equal to x's or 1, aligned from the right");
        }
        var g = ctx.Graph;
        var m = g.Cast(g.BroadcastTo(mask.Node, x.Shape), ElementType.F32);
        var masked = g.Compare(CompareKind.Ne, m, g.Constant(0, m.Type));
        return LayerContext.Result(g.Select(masked, g.Constant(args.Float("fill"), x.Type), x.Node));
    }

    private static LayerBuiltin Triangle(string name, string summary, CompareKind keep) =>
        new(name, summary, "(…, n, m) → (…, n, m)", [Int("diagonal", 0), Float("fill", 0.0)], (ctx, args, inputs) =>
        {
            var x = inputs[0];
            if (!ctx.ExpectFloat(x) || !ctx.ExpectMinRank(x, 2, "a tensor with two matrix dimensions"))
            {
                return null;
            }
            var g = ctx.Graph;
            var rows = g.Add(new IotaOp(x.Rank - 2, x.Type));
            var columns = g.Add(new IotaOp(x.Rank - 1, x.Type));
            var kept = g.Compare(keep, g.Binary(BinaryKind.Sub, columns, rows), g.Constant(args.Int("diagonal"), x.Type));
            return LayerContext.Result(g.Select(kept, x.Node, g.Constant(args.Float("fill"), x.Type)));
        });
}
