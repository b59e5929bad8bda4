using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// How an einsum maps onto a batched GEMM without moving its output: the output's labels are
/// <c>outer… rows… columns…</c>, where the columns are the longest suffix owned by one operand
/// (the GEMM's B), the rows the longest run before it owned by the other (A), and everything
/// before is iterated. Labels in both operands but not the output are the depth (summed);
/// labels in one operand only and not the output are summed inside that operand's expression.
/// </summary>
internal sealed record ContractionLayout(
    bool LeftIsA,
    ImmutableArray<int> Outer,
    ImmutableArray<int> Rows,
    ImmutableArray<int> Columns,
    ImmutableArray<int> Depth)
{
    /// <summary>Splits <paramref name="op"/>'s labels.</summary>
    public static ContractionLayout Of(ContractOp op)
    {
        var output = op.Output;
        bool OnlyIn(int label, ImmutableArray<int> side, ImmutableArray<int> other) => side.Contains(label) && !other.Contains(label);

        var end = output.Length;
        var leftIsA = true;
        if (end > 0 && !(op.Left.Contains(output[^1]) && op.Right.Contains(output[^1])))
        {
            leftIsA = !op.Left.Contains(output[^1]);
        }
        var (a, b) = leftIsA ? (op.Left, op.Right) : (op.Right, op.Left);
        var columnStart = end;
        while (columnStart > 0 && OnlyIn(output[columnStart - 1], b, a))
        {
            columnStart--;
        }
        var rowStart = columnStart;
        while (rowStart > 0 && OnlyIn(output[rowStart - 1], a, b))
        {
            rowStart--;
        }
        var depth = a.Where(l => b.Contains(l) && !output.Contains(l)).ToImmutableArray();
        return new ContractionLayout(
            leftIsA,
            [.. output.Take(rowStart)],
            [.. output.Skip(rowStart).Take(columnStart - rowStart)],
            [.. output.Skip(columnStart)],
            depth);
    }
}
