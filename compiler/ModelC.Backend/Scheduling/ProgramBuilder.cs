using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Backend.Targets;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Lowers a graph to a <see cref="KernelProgram"/>: plans fusion, gives every stored node a
/// buffer (graph results write straight into their output buffers), and builds one kernel per
/// stored computed node — a GEMM for contractions (with their fused epilogues; a GEMM of partial
/// products and a map summing them where its depth is cut into chunks, see
/// <see cref="GemmDepthSplitting"/>), a map otherwise; parameter and state updates are written
/// over the old values where safe (<see cref="InPlaceUpdates"/>).
/// GEMMs are tiled for the vector width of the target the program will be compiled for.
/// </summary>
public static class ProgramBuilder
{
    /// <summary>Lowers <paramref name="graph"/> for <paramref name="target"/> (the host when null), recording its phases in <paramref name="timings"/> when given.</summary>
    public static KernelProgram Build(Graph graph, ICompileTarget? target = null, CompileTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var start = Stopwatch.GetTimestamp();
        var lanes = (target ?? CpuTarget.Host).VectorLanes;
        var l2Bytes = ((target ?? CpuTarget.Host) as CpuTarget)?.L2CacheBytes;
        var symbols = graph.Symbols;
        var plan = FusionPlanner.Plan(graph, (target ?? CpuTarget.Host).Capabilities);
        var planning = Stopwatch.GetElapsedTime(start);
        var indexBounds = IndexBounds.Of(graph);
        var buffers = new Dictionary<Node, KernelBuffer>(ReferenceEqualityComparer.Instance);
        var all = new List<KernelBuffer>();
        KernelBuffer NewBuffer(Node node, TensorRole? role, string? name, string? replaces = null)
        {
            var init = node.Op switch
            {
                ParameterOp p => p.Init.ToSpec(),
                StateOp s => s.Init.ToSpec(),
                _ => null,
            };
            int? indexBound = node.Op is InputOp input && indexBounds.TryGetValue(input.Name, out var b) ? b : null;
            var buffer = new KernelBuffer(all.Count, node.Type.ElementType, node.Type.Shape.Dims, role, name, init, replaces, indexBound);
            all.Add(buffer);
            return buffer;
        }

        // Scratch for the partial products of a GEMM whose depth is cut into chunks.
        KernelBuffer NewPartials(ImmutableArray<Dim> shape)
        {
            var buffer = new KernelBuffer(all.Count, ElementType.F32, shape, null, null);
            all.Add(buffer);
            return buffer;
        }

        foreach (var node in graph.Nodes)
        {
            var leaf = node.Op switch
            {
                InputOp op => (TensorRole.Input, op.Name),
                ParameterOp op => (TensorRole.Parameter, op.Name),
                StateOp op => (TensorRole.State, op.Name),
                _ => ((TensorRole, string)?)null,
            };
            if (leaf is { } l)
            {
                buffers[node] = NewBuffer(node, l.Item1, l.Item2);
            }
        }
        // Each result gets its own buffer; a node computed for a result computes into it, and
        // results that are leaves or repeat another result are copied by their own kernels.
        var copies = new List<(Node Node, KernelBuffer Output)>();
        foreach (var output in graph.Outputs)
        {
            var replaces = output.Role is OutputRole.StateUpdate or OutputRole.ParameterUpdate ? output.Name : null;
            var buffer = NewBuffer(output.Value, TensorRole.Output, TensorName(output), replaces);
            if (buffers.ContainsKey(output.Value))
            {
                copies.Add((output.Value, buffer));
            }
            else
            {
                buffers[output.Value] = buffer;
            }
        }

        var kernels = new List<Kernel>();
        var nextVar = 0;
        var builder = new ExprBuilder(symbols, buffers, () => new LoopVar(nextVar++));
        foreach (var node in graph.Nodes.Where(n => plan.Materialized.Contains(n) && n.Op is not (InputOp or ParameterOp or StateOp)))
        {
            if (!buffers.ContainsKey(node))
            {
                buffers[node] = NewBuffer(node, null, null);
            }
            var siblings = plan.SiblingsOf(node);
            if (siblings is not null && !ReferenceEquals(siblings[^1], node))
            {
                continue;
            }
            nextVar = 0;
            builder.StartKernel();
            var first = siblings?[0] ?? node;
            var symbol = $"k{kernels.Count}_{Identifier(first.Op.Mnemonic)}";
            var description = string.Join(", ", (siblings ?? [node]).Select(n => $"%{n.Id} {n.Op.Mnemonic}{(n.Scope is null ? "" : $" in {n.Scope}")}"));
            var contraction = node.Op is ContractOp ? node : plan.ContractionOf(node);
            if (contraction is not null && siblings is null)
            {
                kernels.AddRange(Gemm(builder, symbol, buffers[node], description, contraction, node, () => new LoopVar(nextVar++), lanes, l2Bytes, NewPartials));
                continue;
            }
            kernels.Add(siblings is not null ? MultiOutputMap(builder, symbol, buffers, description, siblings, plan.Materialized)
                : Map(builder, symbol, buffers[node], description, node.Type.Shape, index => builder.Define(node, index)));
        }
        foreach (var (node, output) in copies)
        {
            nextVar = 0;
            builder.StartKernel();
            kernels.Add(Map(builder, $"k{kernels.Count}_copy", output, $"copy of %{node.Id} to '{output.Name}'", node.Type.Shape, index => builder.Read(node, index)));
        }
        var program = InPlaceUpdates.Apply(new KernelProgram(graph.Name, symbols, [.. all], [.. kernels]));
        timings?.Add(CompilePhase.FusionPlanning, planning);
        timings?.Add(CompilePhase.KernelIr, Stopwatch.GetElapsedTime(start) - planning);
        return program;
    }

    /// <summary>
    /// The name a graph result has for the caller: its own, except that a state's new value is
    /// <c>name:next</c> (state or parameter) and a gradient <c>name:grad</c> (the leaf itself keeps the plain name).
    /// </summary>
    public static string TensorName(GraphOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Role switch
        {
            OutputRole.StateUpdate or OutputRole.ParameterUpdate => output.Name + ":next",
            OutputRole.Gradient => output.Name + ":grad",
            OutputRole.Output or OutputRole.Loss => output.Name,
            _ => throw new InvalidOperationException($"no tensor name for a {output.Role} result"),
        };
    }

    private static MapKernel Map(ExprBuilder builder, string symbol, KernelBuffer output, string description, Shape shape, Func<Expr[], Expr> body)
    {
        var loops = shape.Dims.Select((d, i) => new Loop(new LoopVar(1000 + i), builder.Size(d))).ToImmutableArray();
        return new MapKernel(symbol, output, description, loops, body([.. loops.Select(l => (Expr)l.Var)]));
    }

    // One map kernel for a sibling group: a member that reads an earlier one at its own element
    // (the only way the plan lets members read each other) gets that member's body in place of
    // the load, so nothing is read back from a buffer the kernel itself writes. Only the stored
    // members are results; the others are values their readers' bodies hold.
    private static MapKernel MultiOutputMap(
        ExprBuilder builder, string symbol, Dictionary<Node, KernelBuffer> buffers, string description, IReadOnlyList<Node> members, IReadOnlySet<Node> stored)
    {
        var bodies = new Dictionary<Node, Expr>(ReferenceEqualityComparer.Instance);
        var results = members.Where(stored.Contains).ToList();
        var map = Map(builder, symbol, buffers[results[0]], description, members[0].Type.Shape, index =>
        {
            foreach (var member in members)
            {
                bodies[member] = builder.Substitutions[member] = builder.Define(member, index);
            }
            return bodies[results[0]];
        });
        foreach (var member in members)
        {
            builder.Substitutions.Remove(member);
        }
        return map with { Siblings = [.. results.Skip(1).Select(m => new MapResult(buffers[m], bodies[m]))] };
    }

    // The GEMM computing `root` (the contraction with its fused epilogue); with its depth cut
    // into chunks (GemmDepthSplitting), the GEMM writing the partial products into a buffer from
    // `newPartials` and the map kernel that sums them.
    private static IEnumerable<Kernel> Gemm(
        ExprBuilder builder, string symbol, KernelBuffer output, string description, Node contraction, Node root, Func<LoopVar> newVar, int lanes, long? l2Bytes,
        Func<ImmutableArray<Dim>, KernelBuffer> newPartials)
    {
        var op = (ContractOp)contraction.Op;
        var layout = ContractionLayout.Of(op);
        var sizes = new Dictionary<int, Dim>();
        for (var i = 0; i < op.Left.Length; i++)
        {
            sizes[op.Left[i]] = contraction.Inputs[0].Type.Shape[i];
        }
        for (var i = 0; i < op.Right.Length; i++)
        {
            sizes[op.Right[i]] = contraction.Inputs[1].Type.Shape[i];
        }
        var vars = sizes.Keys.ToDictionary(l => l, _ => newVar());
        ImmutableArray<Loop> Loops(ImmutableArray<int> labels) => [.. labels.Select(l => new Loop(vars[l], builder.Size(sizes[l])))];

        // Labels summed in one operand only are reduced inside that operand's expression.
        Expr Operand(int input, ImmutableArray<int> labels, ImmutableArray<int> other)
        {
            var own = labels.Where(l => !other.Contains(l) && !op.Output.Contains(l)).ToImmutableArray();
            var value = builder.Read(contraction.Inputs[input], [.. labels.Select(l => (Expr)vars[l])]);
            return own.IsEmpty ? value : new Reduce(ReduceKind.Sum, [.. own.Select(l => vars[l])], [.. own.Select(l => builder.Size(sizes[l]))], value);
        }
        var left = Operand(0, op.Left, op.Right);
        var right = Operand(1, op.Right, op.Left);
        var outputIndex = op.Output.Select(l => (Expr)vars[l]).ToArray();
        var epilogue = builder.Epilogue(contraction, root, outputIndex);
        long? Size(ImmutableArray<int> labels) => labels.Aggregate((long?)1, (p, l) => sizes[l].Symbol is null ? p * sizes[l].FixedSize : null);
        var (groups, expressions) = GemmLoopSplitting.Apply(
            [Loops(layout.Outer), Loops(layout.Rows), Loops(layout.Columns), Loops(layout.Depth)],
            [layout.LeftIsA ? left : right, layout.LeftIsA ? right : left, epilogue], newVar);
        var tiling = GemmTilingModel.Choose(Size(layout.Rows), Size(layout.Columns), Size(layout.Depth), lanes, l2Bytes);
        ImmutableArray<Loop> outputLoops = [.. groups[0], .. groups[1], .. groups[2]];
        var split = GemmTilingModel.DepthSplit(
            Size(layout.Outer), Size(layout.Rows), Size(layout.Columns), [.. groups[3].Select(l => l.Extent is IndexConst c ? c.Value : (long?)null)]);
        // The sum's loops are the product's output loops, so none of them may have been split.
        if (split is { } cut && outputLoops.Length == output.Shape.Length)
        {
            var partials = newPartials([Dim.Of(cut.Chunks), .. output.Shape]);
            var (chunked, operands) = GemmDepthSplitting.Apply(groups, [expressions[0], expressions[1]], cut.Loop, cut.Chunks, newVar);
            var product = new GemmKernel(
                symbol, partials, description + $" (depth in {cut.Chunks} chunks)",
                chunked[0], chunked[1], chunked[2], chunked[3], operands[0], operands[1], new Accumulator(), tiling);
            return [product, GemmDepthSplitting.Sum(symbol + "_sum", output, description + " (sum of chunks)", outputLoops, expressions[2], partials, newVar())];
        }
        var aVariesWithOuter = ExprWalker.Mentions(expressions[0], groups[0].Select(l => l.Var).ToHashSet());
        return
        [
            new GemmKernel(
                symbol, output, description,
                groups[0], groups[1], groups[2], groups[3],
                expressions[0], expressions[1], expressions[2],
                GemmTilingModel.PackingAOnce(tiling, aVariesWithOuter, Size(layout.Outer), Size(layout.Rows), Size(layout.Columns), Size(layout.Depth))),
        ];
    }

    private static string Identifier(string text)
    {
        var result = new StringBuilder();
        foreach (var c in text)
        {
            result.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        return result.ToString();
    }
}
