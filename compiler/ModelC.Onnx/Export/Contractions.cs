using ModelC.Compiler.IR.Ops;

namespace ModelC.Onnx.Export;

/// <summary>
/// Writes a contraction at the level a reader expects: a (batched) matrix product as
/// <c>MatMul</c>, with a <c>Transpose</c> where an operand holds its matrix transposed (a linear
/// layer's [out, in] weight, attention's keys); anything else as <c>Einsum</c> with the IR's labels.
/// </summary>
internal static class Contractions
{
    /// <summary>Writes <paramref name="contract"/> of two full values and returns the result's name.</summary>
    public static string Write(OnnxGraphWriter writer, ContractOp contract, string left, string right)
    {
        if (AsMatMul(contract) is { } form)
        {
            var a = form.TransposeLeft ? writer.Add("Transpose", [left], OnnxAttribute.Ints("perm", SwapLast(contract.Left.Length))) : left;
            var b = form.TransposeRight ? writer.Add("Transpose", [right], OnnxAttribute.Ints("perm", SwapLast(contract.Right.Length))) : right;
            return writer.Add("MatMul", [a, b]);
        }
        return writer.Add("Einsum", [left, right], OnnxAttribute.String("equation", Equation(contract)));
    }

    /// <summary>The einsum equation of the contraction, e.g. <c>ab,cb->ac</c>.</summary>
    public static string Equation(ContractOp contract) =>
        $"{Letters(contract.Left)},{Letters(contract.Right)}->{Letters(contract.Output)}";

    /// <summary>
    /// The matrix product this contraction is, if any: the output is <c>batch…, i, j</c>, the
    /// left operand <c>batch…</c> then <c>i, k</c> in either order, the right <c>batch…</c>
    /// then <c>k, j</c> in either order (the left's batch may be shorter: it broadcasts).
    /// </summary>
    public static (bool TransposeLeft, bool TransposeRight)? AsMatMul(ContractOp contract)
    {
        var (l, r, o) = (contract.Left, contract.Right, contract.Output);
        if (l.Length < 2 || r.Length < 2 || o.Length != Math.Max(l.Length, r.Length) || o.Length < 2)
        {
            return null;
        }
        var batch = o.Take(o.Length - 2).ToList();
        var (i, j) = (o[^2], o[^1]);
        if (!l.Take(l.Length - 2).SequenceEqual(batch.Skip(o.Length - l.Length)) || !r.Take(r.Length - 2).SequenceEqual(batch.Skip(o.Length - r.Length)))
        {
            return null;
        }
        var k = contract.ContractedLabels;
        if (k.Length != 1)
        {
            return null;
        }
        bool? leftT = (l[^2], l[^1]) == (i, k[0]) ? false : (l[^2], l[^1]) == (k[0], i) ? true : null;
        bool? rightT = (r[^2], r[^1]) == (k[0], j) ? false : (r[^2], r[^1]) == (j, k[0]) ? true : null;
        return leftT is { } lt && rightT is { } rt ? (lt, rt) : null;
    }

    private static long[] SwapLast(int rank) => [.. Enumerable.Range(0, rank - 2).Select(a => (long)a), rank - 1, rank - 2];

    private static string Letters(IEnumerable<int> labels) => string.Concat(labels.Select(l => (char)('a' + l)));
}
