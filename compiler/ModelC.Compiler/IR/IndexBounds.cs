using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.IR;

/// <summary>
/// The valid range [0, bound) of each i32 input that a graph uses as indices: the indices of a
/// gather (an embedding lookup; the kernel clamps them) and labels compared against the classes
/// of an iota (cross-entropy's one-hot, which an out-of-range label silently misses). The
/// runtime checks fed values against these bounds, since the kernels cannot report them.
/// </summary>
public static class IndexBounds
{
    /// <summary>Each indexing input's name with its bound; the smallest where an input has several uses.</summary>
    public static ImmutableDictionary<string, int> Of(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var bounds = new Dictionary<string, int>(StringComparer.Ordinal);
        void Record(Node indices, Dim range)
        {
            if (range.IsFixed && IndexingInput(indices) is { } input)
            {
                bounds[input.Name] = bounds.TryGetValue(input.Name, out var known) ? Math.Min(known, range.FixedSize) : range.FixedSize;
            }
        }

        foreach (var node in graph.Nodes)
        {
            switch (node.Op)
            {
                case GatherOp gather:
                    Record(node.Inputs[1], node.Inputs[0].Type.Shape.Dims[gather.Axis]);
                    break;
                case CompareOp { Kind: CompareKind.Eq }:
                    foreach (var (classes, labels) in new[] { (node.Inputs[0], node.Inputs[1]), (node.Inputs[1], node.Inputs[0]) })
                    {
                        if (classes.Op is IotaOp iota)
                        {
                            Record(labels, iota.Type.Shape.Dims[iota.Axis]);
                        }
                    }
                    break;
            }
        }
        return bounds.ToImmutableDictionary(StringComparer.Ordinal);
    }

    /// <summary>The i32 input whose values <paramref name="node"/> carries unchanged (through casts and data movement), if any.</summary>
    private static InputOp? IndexingInput(Node node)
    {
        while (node.Op is CastOp or BroadcastOp or ReshapeOp or PermuteOp)
        {
            node = node.Inputs[0];
        }
        return node.Op is InputOp input && input.Type.ElementType == ElementType.I32 ? input : null;
    }
}
