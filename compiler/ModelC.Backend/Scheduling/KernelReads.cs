using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// The stored values a node's kernel loads, found by walking its inputs through every inlined
/// node down to stored ones: <see cref="Direct"/> those reached through elementwise ops only
/// (read at the kernel's own element), <see cref="AtOwnPosition"/> those and the ones reached
/// through reshapes too (read at the kernel's own row-major position: siblings that share one
/// load it once, though only a direct read of a member can be replaced by its value),
/// <see cref="Indirect"/> those reached through a view or another inlined op, <see cref="All"/>
/// every one; <see cref="PlainMap"/> when everything inlined is elementwise or a view that does
/// not select per element. The sibling rules (<see cref="SiblingFusion"/>,
/// <see cref="SiblingReductions"/>) use it to decide which kernels read a member and which
/// kernels are plain per-element maps.
/// </summary>
internal sealed class KernelReads
{
    private KernelReads()
    {
    }

    /// <summary>The stored values read at the kernel's own element, through elementwise ops only.</summary>
    public HashSet<Node> Direct { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The stored values read at the kernel's own row-major position, through elementwise ops and reshapes.</summary>
    public HashSet<Node> AtOwnPosition { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The stored values read through a view or another inlined op that is not elementwise.</summary>
    public HashSet<Node> Indirect { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Every stored value the kernel loads.</summary>
    public HashSet<Node> All { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether everything the kernel inlines is elementwise or a view that does not select per element.</summary>
    public bool PlainMap { get; private set; } = true;

    /// <summary>
    /// The reads of every kernel of <paramref name="graph"/> (its stored nodes that are not opaque
    /// calls), and for each stored value the kernels that load it, where
    /// <paramref name="materialized"/> are the stored nodes.
    /// </summary>
    public static (Dictionary<Node, KernelReads> Kernels, Dictionary<Node, List<Node>> Readers) OfEveryKernel(Graph graph, IReadOnlySet<Node> materialized)
    {
        var kernels = graph.Nodes.Where(n => materialized.Contains(n) && n.Op.FusionPattern != FusionPattern.Opaque)
            .ToDictionary(n => n, n => Of(n, materialized), (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        var readers = new Dictionary<Node, List<Node>>(ReferenceEqualityComparer.Instance);
        foreach (var (kernel, reads) in kernels)
        {
            foreach (var read in reads.All)
            {
                (readers.TryGetValue(read, out var list) ? list : readers[read] = []).Add(kernel);
            }
        }
        return (kernels, readers);
    }

    /// <summary>The reads of the kernel computing <paramref name="kernel"/>, where <paramref name="materialized"/> are the stored nodes.</summary>
    public static KernelReads Of(Node kernel, IReadOnlySet<Node> materialized)
    {
        var reads = new KernelReads();
        var seen = new HashSet<(Node, bool, bool)>();
        void Visit(Node node, bool direct, bool atOwnPosition)
        {
            foreach (var input in node.Inputs)
            {
                if (!seen.Add((input, direct, atOwnPosition)))
                {
                    continue;
                }
                if (materialized.Contains(input))
                {
                    (direct ? reads.Direct : reads.Indirect).Add(input);
                    if (atOwnPosition)
                    {
                        reads.AtOwnPosition.Add(input);
                    }
                    reads.All.Add(input);
                    continue;
                }
                var pattern = input.Op.FusionPattern;
                var elementwise = pattern == FusionPattern.Elementwise;
                reads.PlainMap &= elementwise || (pattern is FusionPattern.Broadcast or FusionPattern.Injective && !input.Op.SelectsPerElement);
                Visit(input, direct && elementwise, atOwnPosition && (elementwise || input.Op is ReshapeOp));
            }
        }
        Visit(kernel, direct: true, atOwnPosition: true);
        return reads;
    }
}
