using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// The fusion rule of a target whose epilogues slow down on non-affine reads
/// (<see cref="Targets.TargetCapabilities.VectorisesNonAffineReads"/> false, the CPU): a GEMM
/// epilogue whose column loop reads through a division or remainder of a column index, or at an
/// index loaded from memory (MgNO's col2im fold read as a reshape of a permute), stays a scalar
/// loop, several times slower per element than a map kernel of its own, even for a plain add.
/// Such an epilogue stops before the op that reads so. The epilogue is
/// built as <see cref="ProgramBuilder"/> builds it, its loops split as <see cref="GemmLoopSplitting"/> splits them, so
/// the rule judges the reads the kernel will make, not the ops that lead to them; an epilogue that
/// reads only affinely (a bias, a residual) takes any function and vectorises.
/// </summary>
internal sealed class ScalarEpilogueRule
{
    private readonly ExprBuilder _builder;
    private int _reductionVars;

    /// <summary>The rule for <paramref name="graph"/>, whose nodes in <paramref name="stored"/> are stored before any epilogue is planned (every contraction among them).</summary>
    public ScalarEpilogueRule(Graph graph, IReadOnlySet<Node> stored)
    {
        // Reduction variables (an inlined fold's taps) only need to differ from the loops' own.
        _builder = new ExprBuilder(graph.Symbols, Buffers(stored), () => new LoopVar(1_000_000 + _reductionVars++));
    }

    /// <summary>
    /// Whether the epilogue of <paramref name="contraction"/> that ends at <paramref name="root"/>
    /// has a column loop that reads through non-affine index math.
    /// </summary>
    public bool Refuses(Node contraction, Node root)
    {
        var op = (ContractOp)contraction.Op;
        var layout = ContractionLayout.Of(op);
        var vars = op.Output.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => new LoopVar(p.i));
        var next = op.Output.Length;
        ImmutableArray<Loop> Loops(ImmutableArray<int> labels) =>
            [.. labels.Select(l => new Loop(vars[l], _builder.Size(contraction.Type.Shape[op.Output.IndexOf(l)])))];

        var (groups, split) = GemmLoopSplitting.Apply([Loops(layout.Outer), Loops(layout.Rows), Loops(layout.Columns), []], [Epilogue(contraction, root)], () => new LoopVar(next++));
        var columns = groups[2].Select(l => l.Var).ToHashSet();
        return ExprWalker.Loads(split[0]).Any(load => load.Indices.Any(index => !IsAffineIn(index, columns)));
    }

    /// <summary>
    /// The epilogue of <paramref name="contraction"/> that ends at <paramref name="root"/>, at the
    /// loop variables numbered by output axis, built afresh: every query is a kernel of its own,
    /// as a read cached under another contraction's accumulator would mean that contraction.
    /// </summary>
    internal Expr Epilogue(Node contraction, Node root)
    {
        _builder.StartKernel();
        var output = ((ContractOp)contraction.Op).Output;
        return _builder.Epilogue(contraction, root, [.. Enumerable.Range(0, output.Length).Select(i => (Expr)new LoopVar(i))]);
    }

    // A buffer for each stored node: what the epilogue loads rather than inlines.
    private static Dictionary<Node, KernelBuffer> Buffers(IReadOnlySet<Node> stored)
    {
        var buffers = new Dictionary<Node, KernelBuffer>(ReferenceEqualityComparer.Instance);
        foreach (var node in stored)
        {
            buffers[node] = new KernelBuffer(buffers.Count, node.Type.ElementType, node.Type.Shape.Dims, null, null);
        }
        return buffers;
    }

    // Whether an index is affine where it varies along the columns: sums and products of loop
    // variables, sizes and constants, or clamps of them (the interior of a loop decides a clamp,
    // LoopSpecialization); a division, remainder or loaded index only of outer and row variables
    // is the same for the whole row, so it does not keep the column loop scalar.
    private static bool IsAffineIn(Expr index, HashSet<LoopVar> columns) => index switch
    {
        LoopVar or IndexConst or SymbolValue => true,
        IndexBinary { Op: IndexOp.Div or IndexOp.Rem } => !ExprWalker.Mentions(index, columns),
        IndexBinary b => IsAffineIn(b.Left, columns) && IsAffineIn(b.Right, columns),
        _ => !ExprWalker.Mentions(index, columns),
    };
}
