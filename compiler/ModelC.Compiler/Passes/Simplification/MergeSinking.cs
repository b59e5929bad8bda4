using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes.Simplification;

/// <summary>
/// An elementwise op of a reshape that merges axes (and of other merges of the same shape,
/// broadcasts of unmerged axes and constant fills) computes on the unmerged shape, and its
/// result is merged instead: exact, as each element meets the same operands. It carries a merge
/// out of a contraction past its epilogue (a bias add), so that the next view composes with
/// it and consumers read the contraction's output with affine indices, not a division and a
/// remainder per element. Likewise a reduction of a merged permute whose reduced axes are each
/// one source axis reduces the permute's axes and merges its result, and the kernel reads the permute with the kept axes' own indices (attention's bias
/// gradients, summed over heads merged back into features, read contiguously along the head's
/// features instead of one strided element at a time). Same terms, same order; a backend may
/// sum in another order, so a reduction's bits may change within rounding (docs/backend.md).
/// </summary>
internal static class MergeSinking
{
    /// <summary>The node <paramref name="op"/> of <paramref name="inputs"/> equals, or null.</summary>
    public static Node? Rewrite(GraphRewriter rewriter, Op op, ImmutableArray<Node> inputs, TensorType type)
    {
        if (op is ReduceOp reduce)
        {
            return ReductionOfMergedPermute(rewriter, reduce, inputs[0], type);
        }
        if (op.FusionPattern != FusionPattern.Elementwise
            || inputs.FirstOrDefault(i => i.Op is ReshapeOp) is not { } merged
            || MergeGroups.Of(merged.Inputs[0].Type.Shape, merged.Type.Shape) is not { } groups)
        {
            return null;
        }
        var split = merged.Inputs[0].Type.Shape;
        var unmerged = ImmutableArray.CreateBuilder<Node>(inputs.Length);
        foreach (var input in inputs)
        {
            Node? operand = input.Op switch
            {
                ReshapeOp when input.Inputs[0].Type.Shape == split => input.Inputs[0],
                BroadcastOp broadcast when broadcast.Axes.All(a => groups[a].Length == 1) =>
                    rewriter.Emit(new BroadcastOp(split, [.. broadcast.Axes.Select(a => groups[a][0])]), input.Inputs[0]),
                ConstantOp constant => rewriter.Constant(constant.Value, input.Type.WithShape(split)),
                _ => null,
            };
            if (operand is null)
            {
                return null;
            }
            unmerged.Add(operand);
        }
        return rewriter.Emit(new ReshapeOp(type.Shape), rewriter.Emit(op, unmerged.MoveToImmutable()));
    }

    private static Node? ReductionOfMergedPermute(GraphRewriter rewriter, ReduceOp reduce, Node input, TensorType type)
    {
        if (input.Op is not ReshapeOp || input.Inputs[0].Op is not PermuteOp
            || MergeGroups.Of(input.Inputs[0].Type.Shape, input.Type.Shape) is not { } groups
            || reduce.Axes.Any(a => groups[a].Length != 1))
        {
            return null;
        }
        var reduced = rewriter.Emit(reduce with { Axes = [.. reduce.Axes.Select(a => groups[a][0])] }, input.Inputs[0]);
        return rewriter.Emit(new ReshapeOp(type.Shape), reduced);
    }
}
