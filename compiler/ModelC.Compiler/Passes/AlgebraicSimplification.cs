using ModelC.Compiler.IR;
using ModelC.Compiler.Passes.Simplification;

namespace ModelC.Compiler.Passes;

/// <summary>
/// Algebraic simplification and constant folding, with hash-consing (so the result has no
/// common subexpressions either). Every rewrite gives bit-for-bit what the kernels computed
/// before, for every input, NaN, infinity and signed zero included: no rule reassociates
/// floating-point arithmetic or assumes a value is finite or nonzero. The rules:
/// <see cref="ConstantFolding"/> (elementwise ops of constants), <see cref="ArithmeticRules"/>
/// (<c>x·1</c>, <c>x/1</c>, <c>x+(−0)</c>, <c>x−0</c>, <c>−(−x)</c>, …) and
/// <see cref="MovementRules"/> (views of views composed, identity views removed, views of
/// constants folded) and <see cref="ContractionRules"/> (a contraction over a reshape that
/// merges axes contracts the unmerged axes; <see cref="MergeSinking"/>: an elementwise op of
/// such a merge computes before it, and a reduction of a merged permute over unmerged axes
/// reduces the permute — the one rule whose bits may differ: same terms, same order; a backend
/// may sum in another order).
/// </summary>
public sealed class AlgebraicSimplification : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "simplify";

    /// <inheritdoc/>
    public Graph Run(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return GraphRewriter.Rewrite(graph, (rewriter, op, inputs, type) =>
            ConstantFolding.Fold(rewriter, op, inputs, type)
            ?? ArithmeticRules.Rewrite(op, inputs)
            ?? MovementRules.Rewrite(rewriter, op, inputs, type)
            ?? ContractionRules.Rewrite(rewriter, op, inputs, type)
            ?? MergeSinking.Rewrite(rewriter, op, inputs, type));
    }
}
