using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// The fusion pass, in the spirit of XLA's, driven by each op's place on the fusion lattice
/// (<see cref="Op.FusionPattern"/>) and by which inputs it reads repeatedly
/// (<see cref="Op.ReadsInputRepeatedly"/>), never by op types. Up to injective ops are inlined
/// into their consumers (producers into reductions and into GEMM operands included). A value is
/// stored when it is opaque (a leaf in memory) or a graph result; when it is a reduction or a
/// contraction (sums that must not be recomputed); and, for an elementwise op, when it is used
/// by more than one kernel or read repeatedly (through a broadcast, an unfold, a GEMM operand)
/// — unless it reads no memory at all (constants, iotas, sizes and arithmetic on them), which
/// is cheaper to recompute than to load. Broadcast and injective ops (views) are never stored
/// for their uses: their consumers read through them, except a view that selects per element
/// (a pad, a concatenation) read repeatedly: a convolution's unfold over a pad would otherwise
/// test the bounds on every read of its GEMM operand — unless it is a zero pad read only through
/// views by contractions, whose GEMMs gather the unpadded input with a per-lane bounds mask. Finally, chains of same-shaped float
/// elementwise ops consuming a contraction become that contraction's epilogue, and a row scalar
/// (a reduction, and elementwise ops on it, repeated along one elementwise kernel's last axis,
/// or read by one scalar elementwise kernel) is computed in that kernel. Last, stored elementwise
/// nodes of one shape that read common values at their own element share one multi-output kernel
/// (<see cref="SiblingFusion"/>).
/// </summary>
public static class FusionPlanner
{
    /// <summary>
    /// The most copies of an inlined elementwise value one kernel's expression may hold (a value
    /// read twice in one kernel, as <c>x·x</c>, is copied twice; LLVM merges the copies again).
    /// Expressions are trees, so without a bound a chain of values each read twice would grow
    /// exponentially; beyond it the value is stored. No example model comes near it.
    /// </summary>
    public const int MaxCopies = 8;

    /// <summary>Plans <paramref name="graph"/>.</summary>
    /// <param name="graph">The graph to plan.</param>
    /// <param name="rowScalars">Compute row scalars in their consumers (for targets whose map kernels evaluate them once per row: <see cref="Targets.ICompileTarget.HoistsRowInvariants"/>).</param>
    public static FusionPlan Plan(Graph graph, bool rowScalars = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var users = new Dictionary<Node, List<Node>>(ReferenceEqualityComparer.Instance);
        var memoryFree = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            users[node] = [];
            if (node.Op.FusionPattern <= FusionPattern.Injective && node.Inputs.All(memoryFree.Contains))
            {
                memoryFree.Add(node);
            }
        }
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs.Distinct())
            {
                users[input].Add(node);
            }
        }
        var outputs = graph.Outputs.Select(o => o.Value).ToHashSet(ReferenceEqualityComparer.Instance);
        var materialized = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var sites = new Dictionary<Node, HashSet<ReadSite>>(ReferenceEqualityComparer.Instance);
        var uses = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var copies = new Dictionary<Node, Dictionary<Node, long>>(ReferenceEqualityComparer.Instance);
        var expanded = new HashSet<Node>(ReferenceEqualityComparer.Instance);

        // Consumers before producers: where a node is read (through inlined consumers) and
        // whether an expanding view reads it are known when it is reached.
        foreach (var node in graph.Nodes.Reverse())
        {
            sites[node] = ReadSites(node, users[node], materialized, sites);
            var count = sites[node].Count + (outputs.Contains(node) ? 1 : 0);
            uses[node] = count;
            copies[node] = Copies(node, users[node], materialized, copies);
            var crowded = copies[node].Count > 0 && copies[node].Values.Max() > MaxCopies;
            var stored = outputs.Contains(node) || node.Op.FusionPattern switch
            {
                FusionPattern.Elementwise => crowded || ((count > 1 || expanded.Contains(node)) && !memoryFree.Contains(node)),
                FusionPattern.Broadcast or FusionPattern.Injective => node.Op.SelectsPerElement && expanded.Contains(node) && !memoryFree.Contains(node)
                    && !IsZeroPadReadInPlace(node, users[node], materialized, sites[node]),
                _ => true,
            };
            if (stored)
            {
                materialized.Add(node);
            }
            var types = node.Inputs.Select(i => i.Type).ToArray();
            for (var i = 0; i < node.Inputs.Length; i++)
            {
                if (node.Op.ReadsInputRepeatedly(i, types, node.Type) || (!stored && IsView(node) && expanded.Contains(node)))
                {
                    expanded.Add(node.Inputs[i]);
                }
            }
        }

        var roots = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        foreach (var contraction in graph.Nodes.Where(n => n.Op.FusionPattern == FusionPattern.OutputFusable))
        {
            var root = contraction;
            // The chain stops at a stored node: it is computed by its own kernel, which reads the contraction.
            while (!outputs.Contains(root) && uses[root] == 1 && NextEpilogueStep(root, users, materialized) is { } user
                && (ReferenceEquals(root, contraction) || !materialized.Contains(root)))
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
        if (rowScalars)
        {
            InlineRowScalars(graph, users, uses, outputs, materialized, roots);
        }
        var (siblings, valuesOnly) = SiblingFusion.Plan(graph, materialized, roots);
        materialized.ExceptWith(valuesOnly);
        return new FusionPlan(materialized, roots, siblings);
    }

    // Row scalars, the rule "a reduction into its elementwise consumer over the same rows": a
    // stored reduction, or a stored elementwise op on reduced values, that one elementwise kernel
    // reads, once, only through a broadcast repeating each element along that kernel's last axis
    // (one element per row of the kernel), is computed inside that kernel: the emitters evaluate
    // such row-invariant values once per row, before the row's loop, so a softmax's or layer
    // norm's sums cost no kernel and no round trip through memory. Consumers first, so that a chain (a sum, its mean, the root of the
    // variance) moves into the kernel together. A value reached through a reduction, a view or a
    // contraction's epilogue stays stored: there it would be recomputed per element.
    private static void InlineRowScalars(
        Graph graph, Dictionary<Node, List<Node>> users, Dictionary<Node, int> uses, HashSet<object?> outputs, HashSet<Node> materialized, Dictionary<Node, Node> roots)
    {
        var epilogues = new HashSet<Node>(roots.Values, ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes.Reverse())
        {
            if (materialized.Contains(node) && !outputs.Contains(node) && uses[node] == 1
                && OnReducedValues(node, new HashSet<Node>(ReferenceEqualityComparer.Instance))
                && RowReader(node, repeated: false, users, materialized, epilogues) is not null)
            {
                materialized.Remove(node);
            }
        }
    }

    // A reduction, or an elementwise op on the result of one.
    private static bool OnReducedValues(Node node, HashSet<Node> seen) =>
        node.Op.FusionPattern == FusionPattern.Reduction
        || (node.Op.FusionPattern == FusionPattern.Elementwise && seen.Add(node) && node.Inputs.Any(input => OnReducedValues(input, seen)));

    // The one stored elementwise kernel that reads node only repeated along its last axis, or
    // null. repeated: a broadcast on the way has repeated it along the last axis. A scalar kernel
    // is its own one row: it evaluates its body once, so a scalar it reads directly moves in too
    // (a train step's finite check adds every gradient's sum in one kernel, not one kernel each).
    private static Node? RowReader(Node node, bool repeated, Dictionary<Node, List<Node>> users, HashSet<Node> materialized, HashSet<Node> epilogues)
    {
        Node? reader = null;
        foreach (var user in users[node])
        {
            var found = materialized.Contains(user)
                ? (repeated || user.Type.Shape.Rank == 0) && user.Op.FusionPattern == FusionPattern.Elementwise && !epilogues.Contains(user) ? user : null
                : user.Op.FusionPattern == FusionPattern.Elementwise ? RowReader(user, repeated, users, materialized, epilogues)
                : !repeated && RepeatsAlongLastAxis(node, user) ? RowReader(user, repeated: true, users, materialized, epilogues)
                : null;
            if (found is null || (reader is not null && !ReferenceEquals(reader, found)))
            {
                return null;
            }
            reader = found;
        }
        return reader;
    }

    // A broadcast that only repeats each element of its input along the result's last axis (a
    // new axis, or one stretched from size 1): each row of the result reads one element.
    private static bool RepeatsAlongLastAxis(Node input, Node user)
    {
        if (user.Op is not BroadcastOp broadcast || broadcast.Target.Rank == 0)
        {
            return false;
        }
        var (shape, rows) = (input.Type.Shape, broadcast.Target.Rank - 1);
        return (shape.Rank == rows || (shape.Rank == rows + 1 && shape[rows] == Dim.Of(1)))
            && Enumerable.Range(0, rows).All(i => broadcast.Axes[i] == i && shape[i] == broadcast.Target[i]);
    }

    // Where the kernels read a node: once per stored consumer and operand, except that an
    // elementwise consumer reads all its operands at its own index (x·x reads x once) and an
    // inlined elementwise consumer reads it wherever that consumer is read, so a value used
    // twice within one kernel at the same index (a + x + x) counts once. A view reads it at
    // other indices, so its sites stay apart from direct ones.
    private static HashSet<ReadSite> ReadSites(
        Node node, List<Node> users, HashSet<Node> materialized, Dictionary<Node, HashSet<ReadSite>> sites)
    {
        var result = new HashSet<ReadSite>();
        foreach (var user in users)
        {
            var elementwise = user.Op.FusionPattern == FusionPattern.Elementwise;
            for (var operand = 0; operand < user.Inputs.Length; operand++)
            {
                if (!ReferenceEquals(user.Inputs[operand], node) || (elementwise && operand > user.Inputs.IndexOf(node)))
                {
                    continue;
                }
                if (materialized.Contains(user))
                {
                    result.Add(new ReadSite(user, elementwise ? -1 : operand, null));
                }
                else if (elementwise)
                {
                    result.UnionWith(sites[user]);
                }
                else
                {
                    result.UnionWith(sites[user].Select(site => new ReadSite(user, operand, site)));
                }
            }
        }
        return result;
    }

    // A zero pad read only through inlined views (a convolution's unfold) by contractions: their
    // GEMM's gathering pack reads the unpadded input in place, giving +0 for lanes outside it
    // (GemmOperandAccess.AffineBoundedLoad), so a stored pad would only add a kernel and a copy.
    private static bool IsZeroPadReadInPlace(Node node, List<Node> users, HashSet<Node> materialized, HashSet<ReadSite> sites) =>
        node.Op is PadOp { Value: var value } && BitConverter.DoubleToInt64Bits(value) == 0
        && users.All(user => IsView(user) && !materialized.Contains(user))
        && sites.All(site => site.Outer is not null && Reader(site).Op.FusionPattern == FusionPattern.OutputFusable);

    // The stored node that a read site finally belongs to.
    private static Node Reader(ReadSite site) => site.Outer is { } outer ? Reader(outer) : site.Reader;

    /// <summary>Ops that only move or select elements: free to inline anywhere, so never stored for their uses.</summary>
    private static bool IsView(Node node) => node.Op.FusionPattern is FusionPattern.Broadcast or FusionPattern.Injective;

    // How many copies of the node each kernel's expression would hold if it were inlined: one
    // per operand that reads it, times the copies of a consumer that is itself inlined.
    private static Dictionary<Node, long> Copies(Node node, List<Node> users, HashSet<Node> materialized, Dictionary<Node, Dictionary<Node, long>> copies)
    {
        var result = new Dictionary<Node, long>(ReferenceEqualityComparer.Instance);
        foreach (var user in users)
        {
            var operands = user.Inputs.Count(i => ReferenceEquals(i, node));
            if (materialized.Contains(user))
            {
                result[user] = result.GetValueOrDefault(user) + operands;
                continue;
            }
            foreach (var (kernel, count) in copies[user])
            {
                result[kernel] = Math.Min(result.GetValueOrDefault(kernel) + operands * count, int.MaxValue);
            }
        }
        return result;
    }

    /// <summary>A kernel's read of a value: by stored node <paramref name="Reader"/>'s operand <paramref name="Operand"/> (−1: all operands at one index), through <paramref name="Outer"/>'s reads when the reader is an inlined view.</summary>
    private sealed record ReadSite(Node Reader, int Operand, ReadSite? Outer);

    // The node an epilogue chain continues to from root (read by one kernel): its one user, or
    // the one node where its users meet, each of them that node or leading to it through
    // unstored same-shaped elementwise nodes of one user each, none an approximated function —
    // a leaky ReLU reads x three times (x > 0 ? x : a·x); stored apart it cost a map kernel and a
    // round trip of the GEMM's output. A GELU's erf stays in its map kernel: in the epilogue's
    // row loop it made MgNO's convolutions 7 ms slower each. Null when the chain ends at root.
    private static Node? NextEpilogueStep(Node root, Dictionary<Node, List<Node>> users, HashSet<Node> materialized)
    {
        if (users[root] is [var only])
        {
            return IsEpilogueStep(root, only) ? only : null;
        }
        var paths = users[root].Select(user => PathOfSingleUsers(root, user, users, materialized)).ToList();
        var join = paths.FirstOrDefault()?.FirstOrDefault(node => paths.All(path => path.Contains(node, ReferenceEqualityComparer.Instance)));
        return join is not null && IsEpilogueStep(root, join) && !IsApproximatedFunction(join) ? join : null;
    }

    // user and, while the last is an unstored elementwise node of root's shape with one user,
    // that user: every node before the last is inlined into the last one's expression.
    private static List<Node> PathOfSingleUsers(Node root, Node user, Dictionary<Node, List<Node>> users, HashSet<Node> materialized)
    {
        var path = new List<Node> { user };
        for (var node = user;
            node.Op.FusionPattern == FusionPattern.Elementwise && node.Type.Shape.Equals(root.Type.Shape) && !materialized.Contains(node)
                && !IsApproximatedFunction(node) && users[node] is [var next];
            node = next)
        {
            path.Add(next);
        }
        return path;
    }

    private static bool IsApproximatedFunction(Node node) =>
        node.Op is UnaryOp { Kind: UnaryKind.Exp or UnaryKind.Log or UnaryKind.Tanh or UnaryKind.Erf or UnaryKind.Sin or UnaryKind.Cos };

    // An epilogue runs on the accumulator of each output element, so only a same-shaped float
    // elementwise op can join it.
    private static bool IsEpilogueStep(Node producer, Node user) =>
        user.Op.FusionPattern == FusionPattern.Elementwise
        && user.Type.ElementType == ElementType.F32
        && user.Type.Shape.Equals(producer.Type.Shape);
}
