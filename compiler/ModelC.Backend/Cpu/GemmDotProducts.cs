using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// A GEMM of one row whose A row and B columns are both contiguous along k (a batch-1 linear
/// layer: <c>x[1, k] · W[n, k]ᵀ</c>), computed as dot products instead of packed tiles: packing
/// would transpose all of B to use each element once. Each output is
/// <c>Σ_k a[k] · b[n, k]</c> summed in two vectors of lanes across k (the last step masked), then
/// the two added and their lanes summed pairwise; four columns at a time share each load of A.
/// A task is (outer index, column block), as the partition cuts a one-row GEMM; every element's
/// sum is one thread's, in an order that depends on nothing but k, so 1 and 2 threads give the
/// same bits. The epilogue runs over the task's columns afterwards.
/// </summary>
internal sealed class GemmDotProducts
{
    private const int ColumnsPerGroup = 4;

    private readonly LlvmEmitter _e;
    private readonly ExprEmitter _x;
    private readonly GemmLoops _loops;
    private readonly GemmKernel _kernel;
    private readonly Load _a;
    private readonly Load _b;
    private readonly LLVMValueRef _columnStride;
    private readonly int _lanes;

    private GemmDotProducts(LlvmEmitter e, ExprEmitter x, GemmLoops loops, GemmKernel kernel, Load a, Load b, LLVMValueRef columnStride)
    {
        (_e, _x, _loops, _kernel, _a, _b, _columnStride) = (e, x, loops, kernel, a, b, columnStride);
        _lanes = kernel.Tiling.Lanes;
    }

    /// <summary>
    /// The dot-product path for <paramref name="kernel"/> when its shape allows one row (its rows
    /// are not statically more than one) and A and B are plain float loads contiguous along its
    /// single depth loop, B's columns a fixed stride apart (emitted here); null otherwise.
    /// </summary>
    public static GemmDotProducts? For(LlvmEmitter e, ExprEmitter x, GemmLoops loops, GemmKernel kernel, Expr rows, IReadOnlyList<string> symbols) =>
        rows is not IndexConst { Value: not 1 }
        && kernel.Depth.Length == 1 && kernel.Columns.Length == 1
        && GemmOperandAccess.ContiguousLoad(kernel.A, kernel.Depth[0].Var) is { } a
        && GemmOperandAccess.ContiguousLoad(kernel.B, kernel.Depth[0].Var) is { } b
        && GemmOperandAccess.Stride(b, kernel.Columns[0].Var, symbols) is { } stride
            ? new GemmDotProducts(e, x, loops, kernel, a, b, x.Emit(stride))
            : null;

    /// <summary>
    /// Computes columns [<paramref name="n0"/>, n0 + <paramref name="columns"/>) of the row of the
    /// outer index the caller bound, from <paramref name="block"/> (the address of column n0), with
    /// <paramref name="depth"/> terms each; then the epilogue over them.
    /// </summary>
    public void Emit(LLVMValueRef block, LLVMValueRef n0, LLVMValueRef columns, LLVMValueRef depth)
    {
        var e = _e;
        _loops.BindRow(e.Int(0));
        _loops.BindDepth(e.Int(0));
        var a = _x.Address(_a.Buffer, _a.Indices);
        _loops.BindColumn(n0);
        var b = _x.Address(_b.Buffer, _b.Indices);
        var groups = e.SDiv(columns, e.Int(ColumnsPerGroup));
        e.For(e.Int(0), groups, group => Columns(a, b, block, e.Mul(group, e.Int(ColumnsPerGroup)), ColumnsPerGroup, depth));
        e.For(e.Mul(groups, e.Int(ColumnsPerGroup)), columns, column => Columns(a, b, block, column, 1, depth));
        if (_kernel.Epilogue is not Accumulator)
        {
            GemmKernelEmitter.Epilogue(e, _x, _loops, _kernel, block, e.Int(0), e.Int(0), n0, e.Int(1), columns);
        }
    }

    // block[first + c] = Σ_k a[k] · b[(first + c)·stride + k] for c below count (b at column n0).
    private void Columns(LLVMValueRef a, LLVMValueRef b, LLVMValueRef block, LLVMValueRef first, int count, LLVMValueRef depth)
    {
        var e = _e;
        var lanes = _lanes;
        var vector = e.Vector(e.F32, lanes);
        var zero = LLVM.ConstNull(vector);
        var step = 2 * lanes;
        var columns = Enumerable.Range(0, count).Select(c => e.Gep(e.F32, b, e.Mul(e.Add(first, e.Int(c)), _columnStride))).ToArray();
        LLVMValueRef[] Accumulate(LLVMValueRef k, LLVMValueRef[] sums, Func<LLVMValueRef, int, LLVMValueRef> load)
        {
            var next = new LLVMValueRef[sums.Length];
            for (var half = 0; half < 2; half++)
            {
                var aVector = load(e.Gep(e.F32, a, k), half);
                for (var c = 0; c < count; c++)
                {
                    var bVector = load(e.Gep(e.F32, columns[c], k), half);
                    next[2 * c + half] = e.CallIntrinsic($"llvm.fmuladd.v{lanes}f32", vector, aVector, bVector, sums[2 * c + half]);
                }
            }
            return next;
        }
        var whole = e.SDiv(depth, e.Int(step));
        var sums = e.For(e.Int(0), whole, [.. Enumerable.Repeat(zero, 2 * count)], (s, carried) =>
            Accumulate(e.Mul(s, e.Int(step)), carried, (p, half) => e.Load(vector, e.Gep(e.F32, p, e.Int(half * lanes)), sizeof(float))));
        // The last step: lanes past the depth read zero.
        var done = e.Mul(whole, e.Int(step));
        var left = e.Sub(depth, done);
        sums = Accumulate(done, sums, (p, half) => e.CallIntrinsic($"llvm.masked.load.v{lanes}f32.p0", vector,
            e.Gep(e.F32, p, e.Int(half * lanes)), e.Int32(sizeof(float)), GemmMicroKernel.LaneMask(e, e.Sub(left, e.Int(half * lanes)), lanes), zero));
        for (var c = 0; c < count; c++)
        {
            var total = LaneSum(e.FAdd(sums[2 * c], sums[2 * c + 1]));
            e.Store(total, e.Gep(e.F32, block, e.Add(first, e.Int(c))));
        }
    }

    // The sum of a vector's lanes, halving it pairwise: lane j adds lane j + width at each step.
    private LLVMValueRef LaneSum(LLVMValueRef vector)
    {
        var e = _e;
        for (var width = _lanes / 2; width >= 1; width /= 2)
        {
            var upper = GemmTransposeKernel.ShuffleMask(e, _lanes, j => j < width ? j + width : j);
            vector = e.FAdd(vector, LLVM.BuildShuffleVector(e.Builder, vector, LLVM.GetUndef(LLVM.TypeOf(vector)), upper, ""));
        }
        return e.ExtractLane(vector, 0);
    }
}
