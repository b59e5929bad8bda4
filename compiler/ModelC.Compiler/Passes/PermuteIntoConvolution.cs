using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes;

/// <summary>
/// A permute of a convolution's contraction (a contraction over a window view, through its
/// elementwise epilogue: a bias add) computes the contraction in the permuted order instead, the
/// epilogue's broadcasts and fills permuted alike. einspace's convolution produces
/// <c>(B, H, W, C)</c> and transposes it to <c>(B, C, H, W)</c> (col2im); computed as
/// <c>(B, C, H, W)</c>, the transpose disappears, and the next pad, norm or convolution reads
/// its input contiguously instead of across channels. Exact: each element is the same sum of
/// the same products, with the same epilogue. Only when every node of the chain has the
/// permute as its single reader, so nothing is computed twice, and when the permuted GEMM is
/// no narrower (its columns, the positions, at least as many as the channels it had). Part of the <c>fold-conv</c>
/// pass (<see cref="FoldAsConvolution"/>), which lays out convolutions for the backend.
/// </summary>
internal static class PermuteIntoConvolution
{
    /// <summary>The graph with every such permute computed by its contraction; the graph itself when there is none.</summary>
    public static Graph Run(Graph graph)
    {
        var readers = ChainRewrite.Readers(graph);
        var permutes = graph.Nodes.Where(n => n.Op is PermuteOp permute && Sinks(n.Inputs[0], permute.Permutation, readers)).ToHashSet();
        return permutes.Count == 0
            ? graph
            : ChainRewrite.Replace(graph, permutes, (b, permute, copies) => Permuted(b, permute.Inputs[0], ((PermuteOp)permute.Op).Permutation, copies));
    }

    // Whether the permute's input is a convolution's contraction that computes as well in the
    // permuted order, or an elementwise op of one and of broadcasts and fills, each read only by
    // the next.
    private static bool Sinks(Node node, ImmutableArray<int> permutation, Dictionary<Node, int> readers)
    {
        if (readers[node] != 1)
        {
            return false;
        }
        if (node.Op is ContractOp contract)
        {
            return node.Inputs.Any(IsWindowView) && !Narrower(contract, node.Type.Shape, permutation);
        }
        var inverse = Inverse(permutation);
        var chained = node.Inputs.Where(i => i.Op is not (BroadcastOp or ConstantOp)).ToList();
        return node.Op.FusionPattern == FusionPattern.Elementwise && chained.Count == 1 && Sinks(chained[0], permutation, readers)
            && node.Inputs.All(i => i.Op is not BroadcastOp broadcast || IsAscending([.. broadcast.Axes.Select(a => inverse[a])]));
    }

    // Whether the permuted order gives the GEMM fewer columns (its trailing run of labels from
    // one operand) than the current one: (B, C, H, W) with few positions and many channels
    // (ResNet's last stages, 2×2 positions × 512 channels) would run tiles mostly empty and
    // repack the weights per image, so it keeps (B, H, W, C).
    private static bool Narrower(ContractOp contract, Shape shape, ImmutableArray<int> permutation)
    {
        var permuted = permutation.Select(a => contract.Output[a]).ToImmutableArray();
        return Columns(contract, permuted, Permute(shape, permutation)) < Columns(contract, contract.Output, shape);
    }

    // The product of the sizes of the output's trailing labels that come from the same single operand (a symbol counts as large).
    private static long Columns(ContractOp contract, ImmutableArray<int> output, Shape shape)
    {
        bool From(int label, ImmutableArray<int> side, ImmutableArray<int> other) => side.Contains(label) && !other.Contains(label);
        var fromLeft = From(output[^1], contract.Left, contract.Right);
        var (side, other) = fromLeft ? (contract.Left, contract.Right) : (contract.Right, contract.Left);
        long columns = 1;
        for (var i = output.Length - 1; i >= 0 && From(output[i], side, other); i--)
        {
            columns *= shape[i].IsFixed ? shape[i].FixedSize : 1024;
        }
        return columns;
    }

    private static bool IsAscending(int[] axes) => axes.Zip(axes.Skip(1)).All(p => p.First < p.Second);

    // The chain under the permute, rebuilt in permuted order (its own nodes become dead).
    private static Node Permuted(GraphBuilder b, Node node, ImmutableArray<int> permutation, IReadOnlyDictionary<Node, Node> copies)
    {
        switch (node.Op)
        {
            case ContractOp contract:
                return b.Add(new ContractOp(contract.Left, contract.Right, [.. permutation.Select(a => contract.Output[a])]),
                    [.. node.Inputs.Select(i => copies[i])]);
            case BroadcastOp broadcast:
                var inverse = Inverse(permutation);
                return b.Add(new BroadcastOp(Permute(broadcast.Target, permutation), [.. broadcast.Axes.Select(a => inverse[a])]),
                    copies[node.Inputs[0]]);
            case ConstantOp constant:
                return b.Add(new ConstantOp(constant.Value, constant.Type.WithShape(Permute(constant.Type.Shape, permutation))));
            default:
                return b.Add(node.Op, [.. node.Inputs.Select(i => Permuted(b, i, permutation, copies))]);
        }
    }

    private static Shape Permute(Shape shape, ImmutableArray<int> permutation) => Shape.Of([.. permutation.Select(a => shape[a])]);

    // inverse[permutation[i]] = i
    private static int[] Inverse(IReadOnlyList<int> permutation)
    {
        var inverse = new int[permutation.Count];
        for (var i = 0; i < permutation.Count; i++)
        {
            inverse[permutation[i]] = i;
        }
        return inverse;
    }

    private static bool IsWindowView(Node node) =>
        node.Op is UnfoldOp || (node.Op is PermuteOp or ReshapeOp && IsWindowView(node.Inputs[0]));
}
