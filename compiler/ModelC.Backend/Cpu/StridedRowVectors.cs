using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// A map kernel's row (or its interior) whose body reads the last axis at a stride (a pooling
/// window's <c>2·x + j − 1</c>), emitted as whole vectors of output columns: LLVM's loop
/// vectoriser reads such loads with gathers and leaves the rest of a short row to its scalar
/// remainder. A strided
/// load reads the span of elements its lanes need in plain vector loads that stay inside it and
/// shuffles out every stride-th element; a subexpression that does not depend on the column is
/// emitted once as a scalar and splatted. The rest are the scalar expression's operations lane by
/// lane, in its order (a reduction's terms from the first, with the same combine), so each
/// column gets the bits the scalar loop gives it. The columns past the last whole vector run as
/// one vector whose loads and store are masked to them.
/// </summary>
/// <param name="e">The IR emitter.</param>
/// <param name="x">The kernel's expression emitter, for what does not depend on the column.</param>
/// <param name="lanes">Floats per vector.</param>
/// <param name="column">The last axis's loop variable.</param>
/// <param name="first">The column of this vector's lane 0.</param>
/// <param name="count">The columns of the masked last vector, fewer than <paramref name="lanes"/>; null for a whole vector.</param>
internal sealed class StridedRowVectors(LlvmEmitter e, ExprEmitter x, int lanes, LoopVar column, LLVMValueRef first, LLVMValueRef? count)
{
    // A load of stride s reads s vectors per output vector; larger strides stay with the scalar loop.
    private const long MaxStride = 4;

    /// <summary>
    /// Whether <paramref name="body"/> is emitted this way: a float body that reads some buffer
    /// at a stride of 2 to <see cref="MaxStride"/> along <paramref name="column"/>, made only of
    /// what has a lane-by-lane form here (loads whose last index alone is <c>a·column + rest</c>,
    /// float arithmetic, negation, float comparisons, their casts to float, selects, and sums and
    /// maxima over constant extents below <see cref="ExprEmitter.SumLanes"/>, which the scalar
    /// code adds in their plain order).
    /// </summary>
    public static bool Applies(Expr body, LoopVar column) =>
        body.Type == ScalarType.F32 && Vectorisable(body, column) && ReadsStrided(body, column);

    /// <summary>
    /// Emits <paramref name="body"/> for the columns [<paramref name="from"/>, <paramref name="to"/>)
    /// (<paramref name="from"/> ≤ <paramref name="to"/>), storing column j at <paramref name="output"/>(j).
    /// </summary>
    public static void Emit(LlvmEmitter e, ExprEmitter x, int lanes, Expr body, LoopVar column, LLVMValueRef from, LLVMValueRef to, Func<LLVMValueRef, LLVMValueRef> output)
    {
        var columns = e.Sub(to, from);
        var vectors = e.UDiv(columns, e.Int(lanes));
        e.For(e.Int(0), vectors, v =>
        {
            var start = e.Add(from, e.Mul(v, e.Int(lanes)));
            e.Store(new StridedRowVectors(e, x, lanes, column, start, null).Vector(body), output(start), sizeof(float));
        });
        var rest = e.Add(from, e.Mul(vectors, e.Int(lanes)));
        var left = e.Sub(to, rest);
        e.If(e.ICmp(LLVMIntPredicate.LLVMIntSGT, left, e.Int(0)), () =>
        {
            var value = new StridedRowVectors(e, x, lanes, column, rest, left).Vector(body);
            e.CallIntrinsic($"llvm.masked.store.v{lanes}f32.p0", e.Void, value, output(rest), e.Int32(sizeof(float)), GemmMicroKernel.LaneMask(e, left, lanes));
        });
    }

    private LLVMValueRef Vector(Expr expr)
    {
        if (!Uses(expr, column))
        {
            return e.Splat(x.Emit(expr), lanes);
        }
        return expr switch
        {
            Load load => StridedLoad(load),
            Binary b => x.FloatBinary(b, Vector(b.Left), Vector(b.Right)),
            Unary u => e.FNeg(Vector(u.Operand)),
            Compare c => x.Comparison(c.Kind, c.Left.Type, Vector(c.Left), Vector(c.Right)),
            Kernels.Cast c => e.UIToFP(Vector(c.Operand), e.Vector(e.F32, lanes)),
            // A condition that does not depend on the column stays one scalar: it picks whole vectors.
            Select s => e.Select(Uses(s.Condition, column) ? Vector(s.Condition) : x.Emit(s.Condition), Vector(s.Then), Vector(s.Otherwise)),
            Reduce r => Reduction(r, 0, e.Splat(x.ReductionIdentity(r.Kind), lanes)),
            _ => throw new InvalidOperationException($"no vector form of {expr.GetType().Name} (Applies admits none)"),
        };
    }

    // One loop per reduced variable, in order; the innermost combines the body into the accumulator,
    // as the scalar code's plain loop does.
    private LLVMValueRef Reduction(Reduce reduce, int level, LLVMValueRef accumulator)
    {
        if (level == reduce.Vars.Length)
        {
            return x.Combine(reduce.Kind, accumulator, Vector(reduce.Body));
        }
        return e.For(e.Int(0), x.Emit(reduce.Extents[level]), [accumulator], (i, carried) =>
        {
            x.Bind(reduce.Vars[level], i);
            return [Reduction(reduce, level + 1, carried[0])];
        })[0];
    }

    // Elements s·l from lane 0's, for each lane l: s vectors over the span the lanes need,
    // then shuffles. Whole vectors load [0, lanes), [lanes, 2·lanes), … with the last one moved
    // back to end at the last element needed, s·(lanes − 1), so nothing past it is read; the
    // masked last vector loads every chunk at its place, masked to the elements its columns need.
    private LLVMValueRef StridedLoad(Load load)
    {
        var stride = (int)Stride(load.Indices[^1], column)!.Value;
        x.Bind(column, first);
        var start = x.Address(load.Buffer, load.Indices);
        var type = e.Vector(e.F32, lanes);
        var span = stride * (lanes - 1) + 1;
        var offsets = Enumerable.Range(0, stride).Select(c => count is null ? Math.Min(c * lanes, span - lanes) : c * lanes).ToArray();
        var needed = count is null ? default : e.Add(e.Mul(e.Sub(count.Value, e.Int(1)), e.Int(stride)), e.Int(1));
        var chunks = offsets.Select(offset => count is null
            ? e.Load(type, e.Gep(e.F32, start, e.Int(offset)), sizeof(float))
            : e.CallIntrinsic($"llvm.masked.load.v{lanes}f32.p0", type, e.Gep(e.F32, start, e.Int(offset)), e.Int32(sizeof(float)),
                GemmMicroKernel.LaneMask(e, e.Sub(needed, e.Int(offset)), lanes), LLVM.ConstNull(type))).ToArray();
        if (stride == 1)
        {
            return chunks[0];
        }
        // The first chunk holding lane l's element.
        int ChunkOf(int lane) => Array.FindIndex(offsets, offset => stride * lane < offset + lanes);
        var vector = LLVM.BuildShuffleVector(e.Builder, chunks[0], chunks[1], GemmTransposeKernel.ShuffleMask(e, lanes, l => ChunkOf(l) switch
        {
            0 => stride * l,
            1 => lanes + stride * l - offsets[1],
            _ => 0,
        }), "");
        for (var c = 2; c < stride; c++)
        {
            var chunk = c;
            vector = LLVM.BuildShuffleVector(e.Builder, vector, chunks[c], GemmTransposeKernel.ShuffleMask(e, lanes, l => ChunkOf(l) == chunk ? lanes + stride * l - offsets[chunk] : l), "");
        }
        return vector;
    }

    private static bool Vectorisable(Expr expr, LoopVar column) => !Uses(expr, column) || expr switch
    {
        Load load => load.Type == ScalarType.F32 && load.Indices.Take(load.Indices.Length - 1).All(index => !Uses(index, column)) && Stride(load.Indices[^1], column) is >= 1 and <= MaxStride,
        Binary { Kind: BinaryKind.Add or BinaryKind.Sub or BinaryKind.Mul or BinaryKind.Div or BinaryKind.Max or BinaryKind.Min } b =>
            b.Type == ScalarType.F32 && Vectorisable(b.Left, column) && Vectorisable(b.Right, column),
        Unary { Kind: UnaryKind.Neg } u => u.Type == ScalarType.F32 && Vectorisable(u.Operand, column),
        // Float comparisons (a max-pool gradient's tie mask, x = max) and their 0/1 as floats.
        Compare c => c.Left.Type == ScalarType.F32 && !FiniteCheck.Matches(c) && Vectorisable(c.Left, column) && Vectorisable(c.Right, column),
        Kernels.Cast { To: ScalarType.F32 } c => c.Operand.Type == ScalarType.Bool && Vectorisable(c.Operand, column),
        Select s => s.Type == ScalarType.F32 && Vectorisable(s.Condition, column) && Vectorisable(s.Then, column) && Vectorisable(s.Otherwise, column),
        Reduce r => r.Kind is ReduceKind.Sum or ReduceKind.Max && !ExprWalker.ContainsReduce(r.Body)
            && r.Extents.All(extent => extent is IndexConst { Value: > 0 and < ExprEmitter.SumLanes }) && Vectorisable(r.Body, column),
        _ => false,
    };

    private static bool ReadsStrided(Expr expr, LoopVar column) =>
        expr is Load load && Uses(load, column) && Stride(load.Indices[^1], column) >= 2
        || ExprWalker.Children(expr).Any(child => ReadsStrided(child, column));

    // a when the index is a·column plus terms without the column (sums, differences, constant
    // multiples); null when the column is under anything else.
    private static long? Stride(Expr index, LoopVar column) => index switch
    {
        _ when !Uses(index, column) => 0,
        LoopVar => 1,
        IndexBinary { Op: IndexOp.Add } b => Stride(b.Left, column) + Stride(b.Right, column),
        IndexBinary { Op: IndexOp.Sub } b => Stride(b.Left, column) - Stride(b.Right, column),
        IndexBinary { Op: IndexOp.Mul, Right: IndexConst k } b => Stride(b.Left, column) * k.Value,
        IndexBinary { Op: IndexOp.Mul, Left: IndexConst k } b => k.Value * Stride(b.Right, column),
        _ => null,
    };

    private static bool Uses(Expr expr, LoopVar var) =>
        expr.Equals(var) || ExprWalker.Children(expr).Any(child => Uses(child, var));
}
