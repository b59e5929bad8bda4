using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// A GEMM's register tiles. A tile, one per tiling's register tile (MR × vectors × lanes, a
/// <see cref="GemmTileRoutine"/> defined once in a support object and called by every GEMM kernel
/// tiled alike), <c>void tile(float* a, float* b, i64 nr, i64 depth, float* c, i64 ldc, i1
/// accumulate, i64 rows, i64 columns)</c>, runs up to MR rows and NR columns of a packed A panel
/// against B rows <c>nr</c> apart (a packed panel, or B in place): the full-height micro-kernel,
/// or below it the power-of-two heights that sum to the rows, each as many vectors wide as the
/// columns need. A micro-kernel, one per shape (height × vectors × lanes, internal to the tile's
/// object), <c>void kernel(float* a, i64 mr, float* b, i64 nr, i64 depth, float* c, i64 ldc, i1
/// accumulate, i64 columns)</c>, computes <c>c[r][j] (+)= Σ_kk a[kk·mr + r] · b[kk·nr + j]</c> for
/// r below its height and j below <c>columns</c> (its last vector masked unless the columns fill
/// it, the others whole): the sums stay in height × vectors registers across the depth with fused
/// multiply-adds, each element's sum running over kk in order, and C is read (when accumulating)
/// and written once per call.
/// </summary>
internal static class GemmMicroKernel
{
    /// <summary>Runs one register tile of <paramref name="rows"/> ≤ MR rows and <paramref name="columns"/> ≤ NR columns.</summary>
    public static void CallTile(
        LlvmEmitter e, GemmTiling tiling, LLVMValueRef aPanel, LLVMValueRef b, LLVMValueRef bStride, LLVMValueRef depth, LLVMValueRef c, LLVMValueRef ldc,
        LLVMValueRef accumulate, LLVMValueRef rows, LLVMValueRef columns)
    {
        var type = TileType(e);
        var function = SupportFunction.Declare(e, GemmTileRoutine.Of(tiling), type);
        e.Call(type, function, aPanel, b, bStride, depth, c, ldc, accumulate, rows, columns);
    }

    /// <summary>Defines the tile function of <paramref name="tile"/> (and its micro-kernels) in the module.</summary>
    public static void DefineTile(LlvmEmitter e, GemmTileRoutine tile) =>
        SupportFunction.Define(e, tile, TileType(e), 9, p => EmitTile(e, tile, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]));

    private static LLVMTypeRef TileType(LlvmEmitter e) => e.FunctionType(e.Void, e.Ptr, e.Ptr, e.I64, e.I64, e.Ptr, e.I64, e.I1, e.I64, e.I64);

    /// <summary>Lanes 0 … <paramref name="count"/> − 1 set (none when count ≤ 0, all when count ≥ lanes).</summary>
    public static LLVMValueRef LaneMask(LlvmEmitter e, LLVMValueRef count, int lanes) =>
        e.ICmp(LLVMIntPredicate.LLVMIntSLT, LaneIndices(e, lanes), e.Splat(count, lanes));

    /// <summary>The constant i64 vector 0, 1, …, <paramref name="lanes"/> − 1.</summary>
    public static LLVMValueRef LaneIndices(LlvmEmitter e, int lanes)
    {
        // Inserting constants into a constant folds to a constant vector.
        var indices = LLVM.ConstNull(e.Vector(e.I64, lanes));
        for (var i = 1; i < lanes; i++)
        {
            indices = LLVM.BuildInsertElement(e.Builder, indices, e.Int(i), e.Int32(i), "");
        }
        return indices;
    }

    private static void EmitTile(
        LlvmEmitter e, GemmTileRoutine routine, LLVMValueRef aPanel, LLVMValueRef b, LLVMValueRef bStride, LLVMValueRef depth, LLVMValueRef tile, LLVMValueRef ldc,
        LLVMValueRef accumulate, LLVMValueRef rows, LLVMValueRef columns)
    {
        var type = e.FunctionType(e.Void, e.Ptr, e.I64, e.Ptr, e.I64, e.I64, e.Ptr, e.I64, e.I1, e.I64);
        void Call(int height, LLVMValueRef firstRow)
        {
            var a = e.Gep(e.F32, aPanel, firstRow);
            var c = e.Gep(e.F32, tile, e.Mul(firstRow, ldc));
            void Kernel(int vectors)
            {
                var kernel = InternalFunction.GetOrAdd(e, $"modelc.gemm.kernel.{height}x{vectors}x{routine.Lanes}", type, 9,
                    p => EmitKernel(e, routine.Lanes, height, vectors, p));
                e.Call(type, kernel, a, e.Int(routine.Rows), b, bStride, depth, c, ldc, accumulate, columns);
            }
            if (routine.Vectors == 1)
            {
                Kernel(1);
                return;
            }
            var needed = e.UDiv(e.Add(columns, e.Int(routine.Lanes - 1)), e.Int(routine.Lanes));
            for (var v = 1; v <= routine.Vectors; v++)
            {
                var vectors = v;
                e.If(e.ICmp(LLVMIntPredicate.LLVMIntEQ, needed, e.Int(v)), () => Kernel(vectors));
            }
        }

        var full = e.ICmp(LLVMIntPredicate.LLVMIntEQ, rows, e.Int(routine.Rows));
        e.If(full, () => Call(routine.Rows, e.Int(0)));
        var partial = e.ICmp(LLVMIntPredicate.LLVMIntNE, rows, e.Int(routine.Rows));
        foreach (var height in GemmTiling.TailHeightsBelow(routine.Rows))
        {
            // Below a full tile, the rows handled by greater heights are rows' bits above this one.
            var present = e.And(partial, e.ICmp(LLVMIntPredicate.LLVMIntNE, e.And(rows, e.Int(height)), e.Int(0)));
            e.If(present, () => Call(height, e.And(rows, e.Int(~(2L * height - 1)))));
        }
    }

    private static void EmitKernel(LlvmEmitter e, int lanes, int height, int vectors, LLVMValueRef[] p)
    {
        var (a, mr, b, nr, depth, c, ldc, accumulate, columns) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]);
        var vector = e.Vector(e.F32, lanes);
        // Each vector's address in C, computed once for both paths.
        var addresses = Enumerable.Range(0, height * vectors)
            .Select(i => e.Gep(e.F32, c, e.Add(e.Mul(e.Int(i / vectors), ldc), e.Int(i % vectors * lanes)))).ToArray();
        LLVMValueRef Address(int r, int j) => addresses[r * vectors + j];

        // Whole vectors with plain loads and stores; the last one too when the tile is full, else
        // masked to the columns that exist. AVX2's masked moves (vmaskmovps) are microcoded on AMD
        // Zen, so the common full tile takes one branch around them; only the last vector's moves
        // are emitted twice, the loop over the depth once.
        var full = e.ICmp(LLVMIntPredicate.LLVMIntEQ, columns, e.Int(vectors * lanes));
        var lastMask = LaneMask(e, e.Sub(columns, e.Int((vectors - 1) * lanes)), lanes);
        var zero = LLVM.ConstNull(vector);
        LLVMValueRef[] LoadLast(bool masked) =>
        [
            .. Enumerable.Range(0, height).Select(r => masked
                ? e.CallIntrinsic($"llvm.masked.load.v{lanes}f32.p0", vector, Address(r, vectors - 1), e.Int32(sizeof(float)), lastMask, zero)
                : e.Load(vector, Address(r, vectors - 1), sizeof(float))),
        ];
        void StoreLast(LLVMValueRef[] sums, bool masked)
        {
            for (var r = 0; r < height; r++)
            {
                var (sum, address) = (sums[r * vectors + vectors - 1], Address(r, vectors - 1));
                if (masked)
                {
                    e.CallIntrinsic($"llvm.masked.store.v{lanes}f32.p0", e.Void, sum, address, e.Int32(sizeof(float)), lastMask);
                }
                else
                {
                    e.Store(sum, address, sizeof(float));
                }
            }
        }

        // C is read only when accumulating; otherwise the sums start at zero.
        var initial = e.IfElse(accumulate, () =>
        {
            var last = e.IfElse(full, () => LoadLast(masked: false), () => LoadLast(masked: true));
            return [.. Enumerable.Range(0, height * vectors).Select(i =>
                i % vectors == vectors - 1 ? last[i / vectors] : e.Load(vector, Address(i / vectors, i % vectors), sizeof(float)))];
        }, () => [.. Enumerable.Repeat(zero, height * vectors)]);
        var sums = e.For(e.Int(0), depth, initial, (kk, acc) =>
        {
            var bRow = e.Gep(e.F32, b, e.Mul(kk, nr));
            var bVectors = Enumerable.Range(0, vectors).Select(j => e.Load(vector, e.Gep(e.F32, bRow, e.Int(j * lanes)), sizeof(float))).ToArray();
            var aColumn = e.Gep(e.F32, a, e.Mul(kk, mr));
            var next = new LLVMValueRef[acc.Length];
            for (var r = 0; r < height; r++)
            {
                var aValue = e.Splat(e.Load(e.F32, e.Gep(e.F32, aColumn, e.Int(r))), lanes);
                for (var j = 0; j < vectors; j++)
                {
                    next[r * vectors + j] = e.CallIntrinsic($"llvm.fmuladd.v{lanes}f32", vector, aValue, bVectors[j], acc[r * vectors + j]);
                }
            }
            return next;
        });
        for (var r = 0; r < height; r++)
        {
            for (var j = 0; j < vectors - 1; j++)
            {
                e.Store(sums[r * vectors + j], Address(r, j), sizeof(float));
            }
        }
        e.IfElse(full, () => StoreLast(sums, masked: false), () => StoreLast(sums, masked: true));
    }
}
