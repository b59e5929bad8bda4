using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// The rule "a cheap map read only inside one row kernel is recomputed there": a stored
/// elementwise value that one elementwise kernel reads at its own element and inside a row
/// scalar of that same kernel (a sum over the last axis that the kernel computes once per row,
/// see <see cref="FusionPlanner"/>) was stored only because it is read twice; the kernel
/// recomputes it in both places instead. A layer norm's backward divides the incoming gradient
/// by the standard deviation and reads the quotient in the row sum of its adjoint and again per
/// element: stored, it cost a kernel that streamed the rows once more and wrote a buffer the next
/// kernel read back. The value qualifies when its own body is a plain map (elementwise ops and
/// views that do not select per element, no row scalar of its own, which would be nested in the
/// sum), holds no transcendental function (an exp costs more than the load it saves; a softmax's
/// exp stays stored), and every path from it to the kernel passes only elementwise ops, or one
/// sum over its last axis and the broadcast repeating that sum along the kernel's rows. Its copies
/// in the kernel (one per path), times the most copies of one value inlined in its own body
/// (as the planner counted them before this rule ran), stay within
/// <see cref="FusionPlanner.MaxCopies"/> (an estimate: copies of those values the kernel already
/// holds are not added, as equal reads in one kernel share one expression). The expressions are those of the stored plan,
/// so the bits do not change.
/// </summary>
internal static class RowKernelRecomputation
{
    /// <summary>
    /// Removes from <paramref name="materialized"/> every value the rule recomputes in its reading
    /// kernel, except those in <paramref name="apart"/>, which keep kernels of their own.
    /// </summary>
    public static void Apply(
        Graph graph, Dictionary<Node, List<Node>> users, HashSet<object?> outputs, HashSet<Node> materialized,
        IReadOnlyDictionary<Node, Node> epilogueRoots, Dictionary<Node, Dictionary<Node, long>> copies, IReadOnlySet<Node> apart)
    {
        var epilogues = new HashSet<Node>(epilogueRoots.Values, ReferenceEqualityComparer.Instance);
        // Consumers first: a qualifying value's producer then sees the paths through it.
        foreach (var node in graph.Nodes.Reverse())
        {
            if (!materialized.Contains(node) || apart.Contains(node) || outputs.Contains(node) || node.Op.FusionPattern != FusionPattern.Elementwise
                || epilogues.Contains(node) || !IsCheapPlainMap(node, materialized))
            {
                continue;
            }
            Node? kernel = null;
            var paths = Paths(node, node, inRowScalar: false, users, materialized, ref kernel);
            if (kernel is null || paths < 2 || epilogues.Contains(kernel) || kernel.Op.FusionPattern != FusionPattern.Elementwise
                || !kernel.Type.Shape.Equals(node.Type.Shape))
            {
                continue;
            }
            // copies[n][node]: the copies of n inlined in node's own kernel.
            var innerCopies = copies.Values.Select(c => c.GetValueOrDefault(node)).DefaultIfEmpty(1).Max();
            if (paths * Math.Max(innerCopies, 1) <= FusionPlanner.MaxCopies)
            {
                materialized.Remove(node);
            }
        }
    }

    // How many copies of value the one stored kernel reading it would hold, or 0 when some path
    // leaves the rule's shape or reaches a second kernel; kernel is the stored reader found.
    private static long Paths(Node value, Node node, bool inRowScalar, Dictionary<Node, List<Node>> users, HashSet<Node> materialized, ref Node? kernel)
    {
        long total = 0;
        foreach (var user in users[node])
        {
            var operands = user.Inputs.Count(i => ReferenceEquals(i, node));
            long through;
            if (materialized.Contains(user))
            {
                if (kernel is not null && !ReferenceEquals(kernel, user))
                {
                    return 0;
                }
                kernel = user;
                through = 1;
            }
            else if (user.Op.FusionPattern == FusionPattern.Elementwise)
            {
                through = Paths(value, user, inRowScalar, users, materialized, ref kernel);
            }
            // Not stored, a reduction is a row scalar computed in the kernel that reads it.
            else if (!inRowScalar && user.Op is ReduceOp reduce && reduce.Axes is [var axis] && axis == value.Type.Rank - 1
                && node.Type.Shape.Equals(value.Type.Shape))
            {
                through = RowBroadcastPaths(value, user, users, materialized, ref kernel);
            }
            else
            {
                return 0;
            }
            if (through == 0)
            {
                return 0;
            }
            total += operands * through;
        }
        return total;
    }

    // From a row scalar through elementwise ops on it to the broadcast that repeats it along the kernel's rows.
    private static long RowBroadcastPaths(Node value, Node node, Dictionary<Node, List<Node>> users, HashSet<Node> materialized, ref Node? kernel)
    {
        long total = 0;
        foreach (var user in users[node])
        {
            var operands = user.Inputs.Count(i => ReferenceEquals(i, node));
            var through = materialized.Contains(user) ? 0
                : user.Op.FusionPattern == FusionPattern.Elementwise ? RowBroadcastPaths(value, user, users, materialized, ref kernel)
                : user.Op is BroadcastOp && user.Type.Shape.Equals(value.Type.Shape) ? Paths(value, user, inRowScalar: true, users, materialized, ref kernel)
                : 0;
            if (through == 0)
            {
                return 0;
            }
            total += operands * through;
        }
        return total;
    }

    private static bool IsTranscendental(Op op) =>
        op is UnaryOp u && u.Kind.IsTranscendental() || op is BinaryOp b && b.Kind.IsTranscendental();

    // The value's own kernel body: elementwise ops without a transcendental function, and views
    // that do not select per element, down to the stored values it loads.
    private static bool IsCheapPlainMap(Node node, HashSet<Node> materialized)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        bool Cheap(Node n) =>
            !seen.Add(n) || (materialized.Contains(n) && !ReferenceEquals(n, node))
            || (((n.Op.FusionPattern == FusionPattern.Elementwise && !IsTranscendental(n.Op))
                || (n.Op.FusionPattern is FusionPattern.Broadcast or FusionPattern.Injective && !n.Op.SelectsPerElement))
            && n.Inputs.All(Cheap));
        return Cheap(node);
    }
}
