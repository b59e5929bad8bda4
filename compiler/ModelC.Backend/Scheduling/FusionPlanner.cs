using ModelC.Backend.Cpu;
using ModelC.Backend.Targets;
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
/// views by contractions and the target's GEMMs gather the unpadded input with a per-lane bounds
/// mask (<see cref="TargetCapabilities.ReadsZeroPadsInPlace"/>), or a pad read only through views
/// by reductions (a pooling's). Finally, chains of same-shaped float
/// elementwise ops consuming a contraction become that contraction's epilogue (on a target whose
/// epilogues slow down on non-affine reads, not up to an op that reads so, which is a map kernel
/// of its own: <see cref="ScalarEpilogueRule"/>), and a row scalar
/// (a reduction, and elementwise ops on it, repeated along one elementwise kernel's last axis,
/// or read by one scalar elementwise kernel) is computed in that kernel where the target
/// evaluates it once per row (<see cref="TargetCapabilities.HoistsRowInvariants"/>). Last, stored
/// elementwise nodes of one shape that read common values at their own element share one multi-output kernel
/// (<see cref="SiblingFusion"/>), and so do stored reductions over one domain whose terms read a
/// common value at the same element (<see cref="SiblingReductions"/>).
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
    /// <param name="capabilities">What the target's kernels do that the rules may rely on (the host CPU's when null, as in <see cref="ProgramBuilder.Build"/>).</param>
    public static FusionPlan Plan(Graph graph, TargetCapabilities? capabilities = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        capabilities ??= CpuTarget.Host.Capabilities;
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
                    && !(capabilities.ReadsZeroPadsInPlace && IsZeroPadReadInPlace(node, users[node], materialized, sites[node]))
                    && !IsPadReadByReductions(node, users[node], materialized, sites[node]),
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
        var positions = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            positions[node] = positions.Count;
        }
        var scalarEpilogues = capabilities.VectorisesNonAffineReads ? null : new ScalarEpilogueRule(graph, new HashSet<Node>(materialized, ReferenceEqualityComparer.Instance));
        var nonAffineReaders = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        foreach (var contraction in graph.Nodes.Where(n => n.Op.FusionPattern == FusionPattern.OutputFusable))
        {
            var root = contraction;
            // The chain stops at a stored node: it is computed by its own kernel, which reads the contraction.
            while (!outputs.Contains(root) && uses[root] == 1 && (ReferenceEquals(root, contraction) || !materialized.Contains(root))
                && EpilogueJoin(root, positions, users) is { } next)
            {
                if (scalarEpilogues?.Refuses(contraction, next) == true)
                {
                    // The link that reads non-affinely is a map kernel of its own, whose loop
                    // vectorises; inlined into a consumer (or a sibling) that calls a
                    // transcendental function it would keep that kernel's loop scalar instead.
                    materialized.Add(next);
                    nonAffineReaders.Add(next);
                    break;
                }
                root = next;
            }
            // One kernel computes one root: a second contraction feeding the same chain stays stored.
            if (!ReferenceEquals(root, contraction) && !roots.Values.Contains(root, ReferenceEqualityComparer.Instance))
            {
                materialized.Remove(contraction);
                materialized.Add(root);
                roots[contraction] = root;
            }
        }
        if (capabilities.HoistsRowInvariants)
        {
            InlineRowScalars(graph, users, uses, outputs, materialized, roots);
            RowKernelRecomputation.Apply(graph, users, outputs, materialized, roots, copies, nonAffineReaders);
        }
        var (siblings, valuesOnly) = SiblingFusion.Plan(graph, materialized, roots, nonAffineReaders);
        materialized.ExceptWith(valuesOnly);
        return new FusionPlan(materialized, roots, [.. siblings, .. SiblingReductions.Plan(graph, materialized)]);
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

    // A zero pad read only through inlined views (a convolution's unfold) by contractions: on a
    // target that ReadsZeroPadsInPlace (the CPU's GEMM gathering pack reads the unpadded input,
    // giving +0 for lanes outside it), a stored pad would only add a kernel and a copy.
    private static bool IsZeroPadReadInPlace(Node node, List<Node> users, HashSet<Node> materialized, HashSet<ReadSite> sites) =>
        node.Op is PadOp { Value: var value } && BitConverter.DoubleToInt64Bits(value) == 0
        && users.All(user => IsView(user) && !materialized.Contains(user))
        && sites.All(site => site.Outer is not null && Reader(site).Op.FusionPattern == FusionPattern.OutputFusable);

    // A pad read only through inlined views (a pooling's unfold) by reductions: the reduction's
    // bounds test per window element costs less than a kernel writing, and the reduction then
    // reading, a padded copy of the whole input (a max-pool reads −∞ outside the image).
    private static bool IsPadReadByReductions(Node node, List<Node> users, HashSet<Node> materialized, HashSet<ReadSite> sites) =>
        node.Op is PadOp
        && users.All(user => IsView(user) && !materialized.Contains(user))
        && sites.All(site => site.Outer is not null && Reader(site).Op.FusionPattern == FusionPattern.Reduction);

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

    /// <summary>The most nodes one epilogue step may pass between a value and the op that joins its readers.</summary>
    private const int MaxEpilogueStep = 8;

    // The next node of an epilogue chain after value: its one user, or the op where the paths
    // from its several users meet again (leaky ReLU's compare, product and select all read x).
    // Every node on the way, like the join, is an elementwise op of value's shape (an epilogue
    // runs on the accumulator of each output element), and the join is a float, the value the
    // GEMM stores. None on the way is stored: the caller asks only for a value read by one
    // kernel, and a stored node on the way would be a second. Null when there is no such node.
    private static Node? EpilogueJoin(Node value, Dictionary<Node, int> positions, Dictionary<Node, List<Node>> users)
    {
        // Readers of the nodes passed so far that are not passed yet, by place in the graph: the
        // join is the one that leaves none.
        var pending = new SortedDictionary<int, Node>();
        foreach (var user in users[value])
        {
            pending[positions[user]] = user;
        }
        for (var passed = 0; passed <= MaxEpilogueStep && pending.Count > 0; passed++)
        {
            var (position, node) = pending.First();
            pending.Remove(position);
            if (node.Op.FusionPattern != FusionPattern.Elementwise || !node.Type.Shape.Equals(value.Type.Shape))
            {
                return null;
            }
            if (pending.Count == 0)
            {
                return node.Type.ElementType == ElementType.F32 ? node : null;
            }
            foreach (var user in users[node])
            {
                pending[positions[user]] = user;
            }
        }
        return null;
    }
}
