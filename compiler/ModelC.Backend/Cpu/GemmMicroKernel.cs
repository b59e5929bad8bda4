using ModelC.Backend.Kernels;
using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// The register-tiled inner loop of a GEMM as a module-internal function, one per tile shape
/// (height × vectors) and panel layout, shared by every GEMM kernel of the module:
/// <c>void tile(float* a, float* b, i64 depth, float* c, i64 ldc, i1 accumulate, i64 columns)</c>
/// computes <c>c[r][j] (+)= Σ_kk a[kk·MR + r] · b[kk·NR + j]</c> for r below the height and j
/// below <c>columns</c> (the last vector is masked; the others are whole). The sums stay in
/// height × vectors registers across the depth with fused multiply-adds, each element's sum
/// running over kk in order; C is read (when accumulating) and written once per call.
/// </summary>
internal static class GemmMicroKernel
{
    /// <summary>Calls the tile function for <paramref name="height"/> rows and <paramref name="vectors"/> vectors, declaring it on first use.</summary>
    public static void Call(
        LlvmEmitter e, GemmTiling tiling, int height, int vectors,
        LLVMValueRef a, LLVMValueRef b, LLVMValueRef depth, LLVMValueRef c, LLVMValueRef ldc, LLVMValueRef accumulate, LLVMValueRef columns)
    {
        var type = FunctionType(e);
        e.Call(type, Function(e, tiling, height, vectors, type), a, b, depth, c, ldc, accumulate, columns);
    }

    private static LLVMTypeRef FunctionType(LlvmEmitter e) => e.FunctionType(e.Void, e.Ptr, e.Ptr, e.I64, e.Ptr, e.I64, e.I1, e.I64);

    private static LLVMValueRef Function(LlvmEmitter e, GemmTiling tiling, int height, int vectors, LLVMTypeRef type)
    {
        var name = $"modelc.gemm.tile.{height}x{vectors}x{tiling.Lanes}.a{tiling.TileRows}.b{tiling.TileColumns}";
        var existing = LLVM.GetNamedFunction(e.Module, name);
        if (existing.Handle != 0)
        {
            return existing;
        }
        var caller = LLVM.GetInsertBlock(e.Builder);
        var function = e.AddFunction(name, type);
        LLVM.SetLinkage(function, LLVMLinkage.Internal);
        e.AddFunctionAttribute(function, "nounwind");
        e.AddFunctionAttribute(function, "noinline");
        e.PositionAtEnd(e.AppendBlock(function, "entry"));
        EmitBody(e, tiling, height, vectors, [.. Enumerable.Range(0, 7).Select(i => LLVM.GetParam(function, (uint)i))]);
        LLVM.BuildRetVoid(e.Builder);
        if (caller.Handle != 0)
        {
            e.PositionAtEnd(caller);
        }
        return function;
    }

    private static void EmitBody(LlvmEmitter e, GemmTiling tiling, int height, int vectors, LLVMValueRef[] p)
    {
        var (a, b, depth, c, ldc, accumulate, columns) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
        var lanes = tiling.Lanes;
        var vector = e.Vector(e.F32, lanes);
        var alignment = (uint)(lanes * sizeof(float));

        // Whole vectors, then the last one masked to the columns that exist.
        var all = e.Splat(e.Bool(true), lanes);
        var lastMask = LaneMask(e, e.Sub(columns, e.Int((vectors - 1) * lanes)), lanes);
        LLVMValueRef Mask(int j) => j == vectors - 1 ? lastMask : all;
        LLVMValueRef Address(int r, int j) => e.Gep(e.F32, c, e.Add(e.Mul(e.Int(r), ldc), e.Int(j * lanes)));

        var loadMask = e.Splat(accumulate, lanes);
        var zero = LLVM.ConstNull(vector);
        var initial = new LLVMValueRef[height * vectors];
        for (var r = 0; r < height; r++)
        {
            for (var j = 0; j < vectors; j++)
            {
                initial[r * vectors + j] = e.CallIntrinsic($"llvm.masked.load.v{lanes}f32.p0", vector,
                    Address(r, j), e.Int32(sizeof(float)), e.And(loadMask, Mask(j)), zero);
            }
        }
        var sums = e.For(e.Int(0), depth, initial, (kk, acc) =>
        {
            var bRow = e.Gep(e.F32, b, e.Mul(kk, e.Int(tiling.TileColumns)));
            var bVectors = Enumerable.Range(0, vectors).Select(j => e.Load(vector, e.Gep(e.F32, bRow, e.Int(j * lanes)), alignment)).ToArray();
            var aColumn = e.Gep(e.F32, a, e.Mul(kk, e.Int(tiling.TileRows)));
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
            for (var j = 0; j < vectors; j++)
            {
                var address = Address(r, j);
                if (j < vectors - 1)
                {
                    e.Store(sums[r * vectors + j], address, sizeof(float));
                }
                else
                {
                    e.CallIntrinsic($"llvm.masked.store.v{lanes}f32.p0", e.Void, sums[r * vectors + j], address, e.Int32(sizeof(float)), lastMask);
                }
            }
        }
    }

    /// <summary>Lanes 0 … <paramref name="count"/> − 1 set (none when count ≤ 0, all when count ≥ lanes).</summary>
    public static LLVMValueRef LaneMask(LlvmEmitter e, LLVMValueRef count, int lanes)
    {
        // Inserting constants into a constant folds to the constant vector 0, 1, …, lanes − 1.
        var indices = LLVM.ConstNull(e.Vector(e.I64, lanes));
        for (var i = 1; i < lanes; i++)
        {
            indices = LLVM.BuildInsertElement(e.Builder, indices, e.Int(i), e.Int32(i), "");
        }
        return e.ICmp(LLVMIntPredicate.LLVMIntSLT, indices, e.Splat(count, lanes));
    }
}
