using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// The fusion pass. Rules, in the spirit of XLA's: elementwise ops and views are inlined into
/// their consumers (producers into reductions and into GEMM operands included); a value is
/// stored when it is a leaf or a graph result, when it is a contraction, reduction, fold or
/// scatter (their results are sums that must not be recomputed), when it is computed and used
/// more than once, or when it is computed and read through an expanding view (a broadcast,
/// an unfold, a GEMM operand) that would recompute it many times. Finally, chains of
/// same-shaped elementwise ops consuming a contraction become that contraction's epilogue.
/// </summary>
public static class FusionPlanner
{
    /// <summary>Plans <paramref name="graph"/>.</summary>
    public static FusionPlan Plan(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var users = new Dictionary<Node, List<Node>>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            users[node] = [];
        }
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs)
            {
                users[input].Add(node);
            }
        }
        var outputs = graph.Outputs.Select(o => o.Value).ToHashSet(ReferenceEqualityComparer.Instance);
        var materialized = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var uses = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var expanded = new HashSet<Node>(ReferenceEqualityComparer.Instance);

        // Consumers before producers: a node's effective use count (through inlined views) and
        // whether an expanding view reads it are known when it is reached.
        foreach (var node in graph.Nodes.Reverse())
        {
            var count = (outputs.Contains(node) ? 1 : 0)
                + users[node].Sum(u => materialized.Contains(u) || !IsView(u) ? 1 : uses[u]);
            uses[node] = count;
            var stored = MustMaterialize(node, count, outputs.Contains(node), expanded.Contains(node));
            if (stored)
            {
                materialized.Add(node);
            }
            for (var i = 0; i < node.Inputs.Length; i++)
            {
                if (ExpandsInput(node, i) || (!stored && IsView(node) && expanded.Contains(node)))
                {
                    expanded.Add(node.Inputs[i]);
                }
            }
        }

        var roots = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        foreach (var contraction in graph.Nodes.Where(n => n.Op is ContractOp))
        {
            var root = contraction;
            while (!outputs.Contains(root) && users[root] is [var user] && uses[root] == 1 && IsEpilogueStep(root, user))
            {
                root = user;
            }
            // One kernel computes one root: a second contraction feeding the same chain stays stored.
            if (!ReferenceEquals(root, contraction) && !roots.Values.Contains(root, ReferenceEqualityComparer.Instance))
            {
                materialized.Remove(contraction);
                materialized.Add(root);
                roots[contraction] = root;
            }
        }
        return new FusionPlan(materialized, roots);
    }

    private static bool MustMaterialize(Node node, int uses, bool isOutput, bool expanded) => node.Op switch
    {
        InputOp or ParameterOp or StateOp => true,
        ConstantOp or IotaOp or DimSizeOp => isOutput,
        ContractOp or ReduceOp or FoldOp or ScatterAddOp => true,
        _ => isOutput || ((uses > 1 || expanded) && !IsView(node)),
    };

    /// <summary>Ops that only move or select elements: free to inline anywhere.</summary>
    private static bool IsView(Node node) =>
        node.Op is ReshapeOp or PermuteOp or BroadcastOp or SliceOp or PadOp or ConcatOp or ReverseOp or UnfoldOp;

    /// <summary>Whether <paramref name="node"/> reads each element of its input <paramref name="index"/> many times.</summary>
    private static bool ExpandsInput(Node node, int index) => node.Op switch
    {
        BroadcastOp => !node.Type.Shape.Equals(node.Inputs[0].Type.Shape),
        UnfoldOp or ContractOp or ScatterAddOp => true,
        GatherOp => index == 0,
        _ => false,
    };

    private static bool IsEpilogueStep(Node producer, Node user) =>
        user.Op is UnaryOp or BinaryOp or SelectOp
        && user.Type.DType == DType.F32
        && user.Type.Shape.Equals(producer.Type.Shape);
}
