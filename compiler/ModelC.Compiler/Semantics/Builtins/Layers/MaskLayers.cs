using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
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
    ];

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
