using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Lowering;

/// <summary>Linear layers and matrix products as contractions.</summary>
public static class LinearAlgebra
{
    /// <summary>
    /// <c>x · Wᵀ + b</c> on the last axis, with PyTorch's layout: <c>W</c> is <c>[out, in]</c>.
    /// </summary>
    public static Node Linear(GraphBuilder g, Node x, Node weight, Node? bias)
    {
        var rank = x.Type.Rank;
        var xLabels = Enumerable.Range(0, rank).ToArray();
        var outLabels = Enumerable.Range(0, rank - 1).Append(rank).ToArray();
        var y = g.Contract(x, weight, xLabels, [rank, rank - 1], outLabels);
        return bias is null ? y : g.Binary(BinaryKind.Add, y, bias);
    }

    /// <summary>
    /// <c>a @ b</c> over the last two axes, <c>(…, n, k) @ (…, k, m) → (…, n, m)</c>. Leading axes
    /// are shared batch axes, aligned on the right; the operand with fewer of them is reused.
    /// </summary>
    public static Node MatMul(GraphBuilder g, Node a, Node b)
    {
        var batch = Math.Max(a.Type.Rank, b.Type.Rank) - 2;
        int n = batch, k = batch + 1, m = batch + 2;
        var aLabels = Enumerable.Range(batch - (a.Type.Rank - 2), a.Type.Rank - 2).Append(n).Append(k).ToArray();
        var bLabels = Enumerable.Range(batch - (b.Type.Rank - 2), b.Type.Rank - 2).Append(k).Append(m).ToArray();
        var outLabels = Enumerable.Range(0, batch).Append(n).Append(m).ToArray();
        return g.Contract(a, b, aLabels, bLabels, outLabels);
    }

    /// <summary>The shape of <c>a @ b</c>, or null when the operands do not fit together.</summary>
    public static Shape? MatMulShape(Shape a, Shape b)
    {
        if (a.Rank < 2 || b.Rank < 2 || a[a.Rank - 1] != b[b.Rank - 2])
        {
            return null;
        }
        var batch = Math.Max(a.Rank, b.Rank) - 2;
        var dims = new Dim[batch + 2];
        for (var i = 0; i < batch; i++)
        {
            var ai = i - (batch - (a.Rank - 2));
            var bi = i - (batch - (b.Rank - 2));
            if (ai >= 0 && bi >= 0 && a[ai] != b[bi])
            {
                return null;
            }
            dims[i] = ai >= 0 ? a[ai] : b[bi];
        }
        dims[batch] = a[a.Rank - 2];
        dims[batch + 1] = b[b.Rank - 1];
        return Shape.Of(dims);
    }
}
