using System.Collections.Immutable;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Passes;

/// <summary>
/// A crop of a stride-1 convolution's output (a contraction over the unfold of a padded grid),
/// through the elementwise ops between them, computes only the cropped region: the crop moves
/// into the padding (<c>out[a + y] = Σ_i x̃[a + y + i·d]</c>, so <c>a</c> fewer padded rows before
/// and as many fewer after as the crop drops). A convolution's data gradient onto a zero-padded
/// input is such a crop, the pad's adjoint, of the fold-conv convolution onto the padded grid
/// (MgNO: 66 × 66 computed, 64 × 64 read), plus, where the padded input feeds a strided
/// convolution too, that one's phase-interleaved gradient: the add is then computed on the
/// cropped grid and the other operand is read through the crop. Exact: each surviving element
/// is the same sum of the same products in the same order. Only when every node of the chain
/// has the crop as its single reader, so nothing is computed twice. Part of the
/// <c>fold-conv</c> pass (<see cref="FoldAsConvolution"/>).
/// </summary>
internal static class CropIntoConvolution
{
    /// <summary>The graph with every such crop computed by its convolutions; the graph itself when there is none.</summary>
    public static Graph Run(Graph graph)
    {
        var readers = ChainRewrite.Readers(graph);
        var crops = graph.Nodes.Where(n => n.Op is SliceOp slice && Sinks(n.Inputs[0], slice.Ranges, readers)).ToHashSet();
        return crops.Count == 0
            ? graph
            : ChainRewrite.Replace(graph, crops, (b, crop, copies) => Cropped(b, crop.Inputs[0], ((SliceOp)crop.Op).Ranges, readers, copies, []));
    }

    // Whether the crop's input is a convolution that computes only the cropped region, or an
    // elementwise op of at least one such, each read only by the next.
    private static bool Sinks(Node node, ImmutableArray<AxisRange> ranges, Dictionary<Node, int> readers) =>
        readers[node] == 1
        && (CroppedPadding(node, ranges) is not null
            || (Pointwise(node) && node.Inputs.Any(i => Sinks(i, ranges, readers))));

    // An elementwise op whose operands all have its shape (a crop of it is the op of their crops).
    private static bool Pointwise(Node node) =>
        node.Op.FusionPattern == FusionPattern.Elementwise && node.Inputs.Length > 0
        && node.Inputs.All(i => i.Type.Shape == node.Type.Shape);

    // For a contraction with a stride-1 window view of a padded grid whose cropped axes are all
    // that view's grid axes: which operand the view is, and the padding that makes its grid the
    // cropped one (null when a crop reaches past the padding, or when the node is no such convolution).
    private static (int Side, PadOp Padding)? CroppedPadding(Node node, ImmutableArray<AxisRange> ranges)
    {
        if (node.Op is not ContractOp contract)
        {
            return null;
        }
        for (var side = 0; side < 2; side++)
        {
            var (labels, other) = side == 0 ? (contract.Left, contract.Right) : (contract.Right, contract.Left);
            if (node.Inputs[side] is not { Op: UnfoldOp unfold, Inputs: [{ Op: PadOp pad } padded] }
                || unfold.Window.StrideH != 1 || unfold.Window.StrideW != 1)
            {
                continue;
            }
            var rank = padded.Type.Shape.Rank;
            var padding = pad.Padding.ToDictionary(p => p.Axis);
            var fits = true;
            foreach (var range in ranges)
            {
                var label = contract.Output[range.Axis];
                var grid = labels.IndexOf(label) - (labels.Length - 2);
                if (grid < 0 || other.Contains(label) || !node.Type.Shape[range.Axis].IsFixed)
                {
                    fits = false;
                    break;
                }
                var axis = rank - 2 + grid;
                var old = padding.GetValueOrDefault(axis, new AxisPadding(axis, 0, 0));
                var dropped = node.Type.Shape[range.Axis].FixedSize - range.End;
                padding[axis] = new AxisPadding(axis, old.Low - range.Start, old.High - dropped);
                fits = padding[axis].Low >= 0 && padding[axis].High >= 0;
                if (!fits)
                {
                    break;
                }
            }
            if (fits)
            {
                return (side, pad with { Padding = [.. padding.Values.Where(p => p.Low > 0 || p.High > 0).OrderBy(p => p.Axis)] });
            }
        }
        return null;
    }

    // The crop of `node`, computed by its convolutions; any other operand of the chain is read through the crop.
    private static Node Cropped(GraphBuilder b, Node node, ImmutableArray<AxisRange> ranges, Dictionary<Node, int> readers,
        IReadOnlyDictionary<Node, Node> copies, Dictionary<Node, Node> cropped)
    {
        if (cropped.TryGetValue(node, out var done))
        {
            return done;
        }
        Node result;
        if (readers[node] == 1 && CroppedPadding(node, ranges) is var (side, padding))
        {
            var window = node.Inputs[side];
            var grid = b.Add(padding, copies[window.Inputs[0].Inputs[0]]);
            var view = b.Add(window.Op, grid);
            result = b.Add(node.Op, side == 0 ? [view, copies[node.Inputs[1]]] : [copies[node.Inputs[0]], view]);
        }
        else if (Sinks(node, ranges, readers))
        {
            result = b.Add(node.Op, [.. node.Inputs.Select(i => Cropped(b, i, ranges, readers, copies, cropped))]);
        }
        else
        {
            result = b.Add(new SliceOp(ranges), copies[node]);
        }
        cropped[node] = result;
        return result;
    }
}
