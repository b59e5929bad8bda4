using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Emits a <see cref="MapKernel"/>: the parallel loop runs over rows (all axes but the last,
/// flattened), and an inner loop over the last axis stores contiguously, so LLVM vectorises it.
/// When there are fewer rows than <see cref="ShortLoopRows"/> (a vector result, a batch of one),
/// each row's last axis is also cut into parallel chunks of <see cref="ChunkLength"/> elements,
/// so the threads share the work; every element is still computed by one iteration, so the bits
/// do not depend on the thread count. A kernel that is one reduction read contiguously along the
/// last axis (a sum over the batch, <c>[B, N] → [N]</c>) runs its reduction loops outside that
/// axis and accumulates in the output, so the contiguous loop vectorises; every element still
/// adds its terms in the same order. A last axis whose elements test their bounds (a pad's
/// border) runs its interior as a separate loop without the tests (<see cref="InteriorRange"/>).
/// A multi-output kernel evaluates every result's body for an element, then stores them all, so
/// LLVM merges the loads and subexpressions they share and a result may overwrite a buffer the
/// bodies read at that element.
/// </summary>
internal static class MapKernelEmitter
{
    /// <summary>Below this many rows the last axis is split into parallel chunks.</summary>
    public const long ShortLoopRows = 16;

    /// <summary>The length of one parallel chunk of a short loop's last axis (four AVX-512 vectors).</summary>
    public const long ChunkLength = 64;

    public static void Emit(LlvmEmitter e, MathFunctions math, MapKernel kernel, IReadOnlyList<string> symbols)
    {
        var loops = kernel.Loops;
        var outer = loops.Take(Math.Max(0, loops.Length - 1)).ToArray();
        var rows = outer.Aggregate((Expr)IndexMath.Const(1), (p, l) => IndexMath.Mul(p, l.Extent));
        Expr inner = loops.Length == 0 ? IndexMath.Const(1) : loops[^1].Extent;
        // 1 when the rows are too few for the threads, else 0.
        var split = IndexMath.Min(IndexMath.Const(1), IndexMath.Max(IndexMath.Const(0), IndexMath.Sub(IndexMath.Const(ShortLoopRows), rows)));
        var chunks = IndexMath.Add(IndexMath.Const(1),
            IndexMath.Mul(split, IndexMath.Sub(IndexMath.Div(IndexMath.Add(inner, IndexMath.Const(ChunkLength - 1)), IndexMath.Const(ChunkLength)), IndexMath.Const(1))));
        var chunkLength = IndexMath.Add(inner, IndexMath.Mul(split, IndexMath.Sub(IndexMath.Const(ChunkLength), inner)));
        KernelFunction.EmitExtent(e, math, kernel, symbols, IndexMath.Mul(rows, chunks));

        var f = KernelFunction.Start(e, math, kernel, symbols);
        var x = f.Expressions;
        var iteration = new LoopVar(-1);
        var row = IndexMath.Div(iteration, chunks);
        var rowIndices = IndexMath.Delinearize(row, [.. outer.Select(l => l.Extent)]);
        var start = IndexMath.Mul(IndexMath.Rem(iteration, chunks), chunkLength);
        var stop = IndexMath.Min(inner, IndexMath.Add(start, chunkLength));
        var innerExtent = x.Emit(inner);
        var interchanged = InterchangedReduction(kernel);
        var results = kernel.Results;
        var rowInvariants = loops.Length == 0 ? [] : results.SelectMany(r => RowInvariantReductions(r.Body, [.. outer.Select(l => l.Var)])).ToList();
        var segmentEnd = loops.Length > 0 && loops[^1].Extent is IndexConst { Value: var extent } ? extent : SegmentEnd;
        var segments = loops.Length == 0 ? [] : results.SelectMany(r => LoopSegments.Cuts(r.Body, loops[^1].Var)).Where(c => c < segmentEnd).Distinct().Order().ToArray();
        e.For(f.Begin, f.End, p =>
        {
            x.Bind(iteration, p);
            for (var i = 0; i < outer.Length; i++)
            {
                x.Bind(outer[i].Var, x.Emit(rowIndices[i]));
            }
            var rowStart = e.Mul(x.Emit(row), innerExtent);
            var (first, last) = (x.Emit(start), x.Emit(stop));
            var bases = results.Select(r => OutputBase(x, r.Output)).ToArray();
            LLVMValueRef AddressIn(int result, LLVMValueRef j) => e.Gep(x.MemoryType(results[result].Output), bases[result], e.Add(rowStart, j));
            LLVMValueRef AddressOf(LLVMValueRef j) => AddressIn(0, j);
            if (interchanged is { } reduce)
            {
                e.For(first, last, j => x.Store(kernel.Output, x.ReductionIdentity(reduce.Kind), AddressOf(j)));
                x.ReductionLoops(reduce, () => e.For(first, last, j =>
                {
                    x.Bind(loops[^1].Var, j);
                    var address = AddressOf(j);
                    x.Store(kernel.Output, x.Combine(reduce.Kind, e.Load(x.MemoryType(kernel.Output), address), x.Emit(reduce.Body)), address);
                }));
                return;
            }
            foreach (var invariant in rowInvariants)
            {
                x.Hoist(invariant);
            }
            void Elements(LLVMValueRef from, LLVMValueRef to, Expr[] bodies) => e.For(from, to, j =>
            {
                if (loops.Length > 0)
                {
                    x.Bind(loops[^1].Var, j);
                }
                var values = bodies.Select(x.Emit).ToArray();
                for (var r = 0; r < values.Length; r++)
                {
                    x.Store(results[r].Output, values[r], AddressIn(r, j));
                }
            });
            // A concatenation along the last axis runs one loop per part, each a plain copy.
            var bounds = segments.Prepend(0L).Append(segmentEnd).ToArray();
            for (var s = 0; s + 1 < bounds.Length; s++)
            {
                var bodies = results.Select(r => segments.Length == 0 ? r.Body : LoopSpecialization.Specialize(r.Body, loops[^1].Var, bounds[s], bounds[s + 1])).ToArray();
                var (from, to) = segments.Length == 0 ? (first, last) : (e.SMax(first, e.Int(bounds[s])), e.SMin(last, e.Int(bounds[s + 1])));
                // The fusion plan gives multi-output kernels no bounds tests to split off.
                if (loops.Length == 0 || bodies.Length > 1 || InteriorRange.Of(bodies[0], loops[^1].Var) is not { } interior)
                {
                    Elements(from, to, bodies);
                    continue;
                }
                // Border, interior without its bounds tests, border: each element's value is the same.
                var low = e.SMin(e.SMax(from, e.Int(interior.Low)), to);
                var high = e.SMax(low, e.SMin(to, e.Int(interior.High)));
                Elements(from, low, bodies);
                Elements(low, high, [LoopSpecialization.Specialize(bodies[0], loops[^1].Var, interior.Low, interior.High)]);
                Elements(high, to, bodies);
            }
            x.ForgetHoisted();
        });
        f.Finish();
    }

    // The kernel's reduction when it is the whole body and reads some buffer contiguously along
    // the output's last axis but none along its own innermost variable: then the last axis is
    // the one to vectorise.
    private static Reduce? InterchangedReduction(MapKernel kernel)
    {
        if (kernel.Body is not Reduce reduce || !kernel.Siblings.IsEmpty || reduce.Vars.Length == 0 || kernel.Loops.Length == 0 || kernel.Loops[^1].Extent is IndexConst { Value: 1 }
            || reduce.Extents.Any(extent => Uses(extent, kernel.Loops[^1].Var)))
        {
            return null;
        }
        var lastIndices = ExprWalker.Loads(reduce.Body).Where(load => load.Indices.Length > 0).Select(load => load.Indices[^1]).ToArray();
        return lastIndices.Contains(kernel.Loops[^1].Var) && !lastIndices.Contains(reduce.Vars[^1]) ? reduce : null;
    }

    // The largest subexpressions of the body that hold a reduction and depend on no variable but
    // the row's (the outer loops'): a row scalar the fusion plan put into this kernel (a
    // softmax's sum), evaluated once per row instead of once per element.
    private static List<Expr> RowInvariantReductions(Expr body, HashSet<LoopVar> rowVars)
    {
        var found = new List<Expr>();
        void Visit(Expr expr)
        {
            if (ExprWalker.ContainsReduce(expr) && FreeVars(expr).IsSubsetOf(rowVars))
            {
                found.Add(expr);
                return;
            }
            foreach (var child in ExprWalker.Children(expr))
            {
                Visit(child);
            }
        }
        Visit(body);
        return found;
    }

    // The loop variables an expression reads that it does not bind itself (as a reduction's).
    private static HashSet<LoopVar> FreeVars(Expr expr)
    {
        if (expr is LoopVar var)
        {
            return [var];
        }
        var free = ExprWalker.Children(expr).SelectMany(FreeVars).ToHashSet();
        if (expr is Reduce reduce)
        {
            free.ExceptWith(reduce.Vars);
        }
        return free;
    }

    // Past the end of any last axis: the bound of the last segment.
    private const long SegmentEnd = long.MaxValue / 4;

    private static bool Uses(Expr expr, LoopVar var) =>
        expr.Equals(var) || ExprWalker.Children(expr).Any(child => Uses(child, var));

    private static LLVMValueRef OutputBase(ExprEmitter x, KernelBuffer output) =>
        x.Address(output, [.. output.Shape.Select(_ => (Expr)IndexMath.Const(0))]);
}
