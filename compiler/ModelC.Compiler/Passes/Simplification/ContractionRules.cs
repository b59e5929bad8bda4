using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes.Simplification;

/// <summary>
/// A contraction whose operand merges the axes of an unfold (or of a permute of one) with a
/// reshape contracts the unmerged source
/// instead: the merged label becomes one label per source axis (the other operand is reshaped
/// to split it alike, the output is computed split and reshaped back). Sums and products are
/// the same, the summed axes keep their row-major order, so the kernels compute the same bits;
/// but each loop of the GEMM now walks one source axis, so an operand such as einspace's
/// im2col (an unfold merged to positions × features) is affine in the loops and packs with
/// gathers instead of a division and a remainder per element.
/// </summary>
internal static class ContractionRules
{
    /// <summary>The node <paramref name="op"/> of <paramref name="inputs"/> equals, or null.</summary>
    public static Node? Rewrite(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs, TensorType type)
    {
        if (op is not ContractOp contract)
        {
            return null;
        }
        for (var side = 0; side < 2; side++)
        {
            if (inputs[side] is not { Op: ReshapeOp } merged
                || !IsWindowView(merged.Inputs[0])
                || MergeGroups.Of(merged.Inputs[0].Type.Shape, merged.Type.Shape) is not { } groups)
            {
                continue;
            }
            var free = new Queue<int>(Enumerable.Range(0, 26).Except(contract.Left).Except(contract.Right).Except(contract.Output));
            if (free.Count < groups.Sum(g => g.Length - 1))
            {
                continue;
            }
            var source = merged.Inputs[0];
            var labels = side == 0 ? contract.Left : contract.Right;
            var parts = new Dictionary<int, ImmutableArray<(int Label, Dim Size)>>();
            for (var axis = 0; axis < labels.Length; axis++)
            {
                if (groups[axis].Length > 1)
                {
                    parts[labels[axis]] = [.. groups[axis].Select((a, i) => (i == 0 ? labels[axis] : free.Dequeue(), source.Type.Shape[a]))];
                }
            }
            var (left, right) = side == 0
                ? (source, SplitAxes(rewriter, inputs[1], contract.Right, parts))
                : (SplitAxes(rewriter, inputs[0], contract.Left, parts), source);
            var split = rewriter.Emit(
                new ContractOp(Expand(contract.Left, parts), Expand(contract.Right, parts), Expand(contract.Output, parts)), left, right);
            return split.Type == type ? split : rewriter.Emit(new ReshapeOp(type.Shape), split);
        }
        return null;
    }

    // An unfold, or a permute of one: a view the GEMM reads through index arithmetic, where a
    // merged axis costs a division per element. A merge of a stored tensor is free (its
    // elements stay contiguous), so it is left alone.
    private static bool IsWindowView(Node node) => node.Op is UnfoldOp || node.Op is PermuteOp && node.Inputs[0].Op is UnfoldOp;

    private static ImmutableArray<int> Expand(ImmutableArray<int> labels, Dictionary<int, ImmutableArray<(int Label, Dim Size)>> parts) =>
        [.. labels.SelectMany(l => parts.TryGetValue(l, out var split) ? split.Select(p => p.Label) : [l])];

    // The operand with each axis whose label is split viewed as that label's parts.
    private static Node SplitAxes(GraphRewriter rewriter, Node operand, ImmutableArray<int> labels,
        Dictionary<int, ImmutableArray<(int Label, Dim Size)>> parts)
    {
        if (!labels.Any(parts.ContainsKey))
        {
            return operand;
        }
        var dims = labels.SelectMany((l, axis) => parts.TryGetValue(l, out var split) ? split.Select(p => p.Size) : [operand.Type.Shape[axis]]);
        return rewriter.Emit(new ReshapeOp(Shape.Of(dims)), operand);
    }
}
