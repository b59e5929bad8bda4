using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Emits a <see cref="MapKernel"/>: the parallel loop runs over rows (all axes but the last,
/// flattened), and an inner loop over the last axis stores contiguously, so LLVM vectorises it.
/// When there are fewer rows than <see cref="ShortLoopRows"/> (a vector result, a batch of one),
/// each row's last axis is also cut into parallel chunks of <see cref="ChunkLength"/> elements,
/// so the threads share the work; every element is still computed by one iteration, so the bits
/// do not depend on the thread count. A task runs as many consecutive iterations as
/// <see cref="MapTaskGrain"/> gives it, so a small kernel is one task, on the calling thread. A result that is one reduction read contiguously along the
/// last axis (a sum over the batch, <c>[B, N] → [N]</c>) runs its reduction loops outside that
/// axis and accumulates in the output, so the contiguous loop vectorises; every element still
/// adds its terms in the same order. Such results of one kernel over the same reduced extents
/// (sibling reductions) share those loops, each accumulating into its own output, so their
/// common operands are read once. A last axis whose elements test their bounds (a pad's
/// border) runs its interior as a separate loop without the tests (<see cref="InteriorRange"/>);
/// a row or interior that reads the last axis at a stride (a pooling window) runs as explicit
/// vectors (<see cref="StridedRowVectors"/>).
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

    // LLVM's TinyTripCountVectorThreshold: a loop of fewer iterations it vectorises only when no
    // scalar remainder is left, so a short interior (a 16-wide pooled row's 15) would stay scalar.
    private const long TinyTripCount = 16;

    /// <summary>Emits <paramref name="kernel"/>; <paramref name="lanes"/> is the floats per vector register of the target.</summary>
    public static void Emit(LlvmEmitter e, MathFunctions math, MapKernel kernel, IReadOnlyList<string> symbols, int lanes)
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
        var iterations = IndexMath.Mul(rows, chunks);
        var perTask = MapTaskGrain.IterationsPerTask(kernel, iterations, chunkLength);
        KernelFunction.EmitExtent(e, math, kernel, symbols, IndexMath.Div(IndexMath.Add(iterations, IndexMath.Sub(perTask, IndexMath.Const(1))), perTask));

        var f = KernelFunction.Start(e, math, kernel, symbols);
        var x = f.Expressions;
        var iteration = new LoopVar(-1);
        var row = IndexMath.Div(iteration, chunks);
        var rowIndices = IndexMath.Delinearize(row, [.. outer.Select(l => l.Extent)]);
        var start = IndexMath.Mul(IndexMath.Rem(iteration, chunks), chunkLength);
        var stop = IndexMath.Min(inner, IndexMath.Add(start, chunkLength));
        var innerExtent = x.Emit(inner);
        var results = kernel.Results;
        // Results that accumulate in memory, in nests of results over the same reduced extents
        // (sibling reductions: one pass over their common operands); the others, per element.
        var nests = Enumerable.Range(0, results.Length).Where(r => InterchangedReduction(results[r].Body, loops) is not null)
            .GroupBy(r => (Reduce)results[r].Body, SameLoops.Instance).Select(g => g.ToArray()).ToArray();
        var elementwise = Enumerable.Range(0, results.Length).Where(r => !nests.Any(n => n.Contains(r))).ToArray();
        var rowInvariants = loops.Length == 0 ? [] : elementwise.SelectMany(r => RowInvariantReductions(results[r].Body, [.. outer.Select(l => l.Var)])).ToList();
        var segmentEnd = loops.Length > 0 && loops[^1].Extent is IndexConst { Value: var extent } ? extent : SegmentEnd;
        var segments = loops.Length == 0 ? [] : elementwise.SelectMany(r => LoopSegments.Cuts(results[r].Body, loops[^1].Var)).Where(c => c < segmentEnd).Distinct().Order().ToArray();
        var iterationsPerTask = x.Emit(perTask);
        e.For(e.Mul(f.Begin, iterationsPerTask), e.SMin(e.Mul(f.End, iterationsPerTask), x.Emit(iterations)), p =>
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
            foreach (var nest in nests)
            {
                var reduces = nest.Select(r => (Reduce)results[r].Body).ToArray();
                e.For(first, last, j =>
                {
                    foreach (var (r, reduce) in nest.Zip(reduces))
                    {
                        x.Store(results[r].Output, x.ReductionIdentity(reduce.Kind), AddressIn(r, j));
                    }
                });
                x.ReductionLoops(reduces[0], () =>
                {
                    // The other results' reduction variables take the first's values.
                    foreach (var reduce in reduces.Skip(1))
                    {
                        for (var level = 0; level < reduce.Vars.Length; level++)
                        {
                            x.Bind(reduce.Vars[level], x.Emit(reduces[0].Vars[level]));
                        }
                    }
                    e.For(first, last, j =>
                    {
                        x.Bind(loops[^1].Var, j);
                        // Every sum first, then the stores, so that the loads they share merge.
                        var sums = nest.Zip(reduces).Select(pair => x.Combine(pair.Second.Kind, e.Load(x.MemoryType(results[pair.First].Output), AddressIn(pair.First, j)), x.Emit(pair.Second.Body))).ToArray();
                        for (var i = 0; i < nest.Length; i++)
                        {
                            x.Store(results[nest[i]].Output, sums[i], AddressIn(nest[i], j));
                        }
                    });
                });
            }
            if (elementwise.Length == 0)
            {
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
                    x.Store(results[elementwise[r]].Output, values[r], AddressIn(elementwise[r], j));
                }
            });
            // The one float result reads the last axis at a stride: explicit vectors.
            bool Strided(Expr body) => elementwise.Length == 1 && results[elementwise[0]].Output.ScalarType == ScalarType.F32 && StridedRowVectors.Applies(body, loops[^1].Var);
            void Vectors(LLVMValueRef from, LLVMValueRef to, Expr body) =>
                StridedRowVectors.Emit(e, x, lanes, body, loops[^1].Var, from, to, j => AddressIn(elementwise[0], j));
            // A concatenation along the last axis runs one loop per part, each a plain copy.
            var bounds = segments.Prepend(0L).Append(segmentEnd).ToArray();
            for (var s = 0; s + 1 < bounds.Length; s++)
            {
                var bodies = elementwise.Select(r => segments.Length == 0 ? results[r].Body : LoopSpecialization.Specialize(results[r].Body, loops[^1].Var, bounds[s], bounds[s + 1])).ToArray();
                var (from, to) = segments.Length == 0 ? (first, last) : (e.SMax(first, e.Int(bounds[s])), e.SMin(last, e.Int(bounds[s + 1])));
                // The fusion plan gives multi-output kernels no bounds tests to split off.
                if (loops.Length == 0 || bodies.Length > 1 || InteriorRange.Of(bodies[0], loops[^1].Var) is not { } interior)
                {
                    if (loops.Length > 0 && Strided(bodies[0]))
                    {
                        Vectors(from, to, bodies[0]);
                    }
                    else
                    {
                        Elements(from, to, bodies);
                    }
                    continue;
                }
                // Border, interior without its bounds tests, border: each element's value is the same.
                var low = e.SMin(e.SMax(from, e.Int(interior.Low)), to);
                var high = e.SMax(low, e.SMin(to, e.Int(interior.High)));
                Elements(from, low, bodies);
                var interiorBody = LoopSpecialization.Specialize(bodies[0], loops[^1].Var, interior.Low, interior.High);
                if (Strided(interiorBody))
                {
                    Vectors(low, high, interiorBody);
                }
                else if (interior.High - interior.Low < TinyTripCount)
                {
                    e.Vectorised(() => Elements(low, high, [interiorBody]));
                }
                else
                {
                    Elements(low, high, [interiorBody]);
                }
                Elements(high, to, bodies);
            }
            x.ForgetHoisted();
        });
        f.Finish();
    }

    // A result's reduction when it is the whole body and reads some buffer contiguously along
    // the output's last axis but none along its own innermost variable: then the last axis is
    // the one to vectorise.
    private static Reduce? InterchangedReduction(Expr body, ImmutableArray<Loop> loops)
    {
        if (body is not Reduce reduce || reduce.Vars.Length == 0 || loops.Length == 0 || loops[^1].Extent is IndexConst { Value: 1 }
            || reduce.Extents.Any(extent => Uses(extent, loops[^1].Var)))
        {
            return null;
        }
        var lastIndices = ExprWalker.Loads(reduce.Body).Where(load => load.Indices.Length > 0).Select(load => load.Indices[^1]).ToArray();
        return lastIndices.Contains(loops[^1].Var) && !lastIndices.Contains(reduce.Vars[^1]) ? reduce : null;
    }

    // Reductions whose loops are the same: as many variables, with equal extents.
    private sealed class SameLoops : IEqualityComparer<Reduce>
    {
        public static readonly SameLoops Instance = new();

        public bool Equals(Reduce? a, Reduce? b) => a is not null && b is not null && a.Extents.SequenceEqual(b.Extents);

        public int GetHashCode(Reduce reduce) => reduce.Extents.Length;
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
