using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Packing for an operand read across its contiguous direction, as a function per vector width
/// defined once in a support object (<see cref="GemmTransposeRoutine"/>) and called by every GEMM kernel:
/// <c>void transpose(float* source, i64 lineStride, i64 lines, i64 run, float* target)</c>, one per
/// panel width, sets <c>target[kk·width + l] = source[l·lineStride + kk]</c> for l below <c>width</c> (zero for
/// lines at or past <c>lines</c>) and kk below <c>run</c>. Line l is a row of A or a column of B,
/// contiguous along k; the panel wants k outermost. Blocks of lanes × lanes are loaded as one
/// vector per line (masked at the ends), transposed in registers and stored as one vector per
/// step of k.
/// </summary>
internal static class GemmTransposeKernel
{
    public static void Call(LlvmEmitter e, int lanes, LLVMValueRef source, LLVMValueRef lineStride, LLVMValueRef lines, int width, LLVMValueRef run, LLVMValueRef target)
    {
        var type = TransposeType(e);
        var function = SupportFunction.Declare(e, new GemmTransposeRoutine(lanes, width), type);
        e.Call(type, function, source, lineStride, lines, run, target);
    }

    /// <summary>Defines the transpose of <paramref name="routine"/> in the module.</summary>
    public static void Define(LlvmEmitter e, GemmTransposeRoutine routine) =>
        SupportFunction.Define(e, routine, TransposeType(e), 5, p => EmitBody(e, routine.Lanes, p[0], p[1], p[2], e.Int(routine.Width), p[3], p[4]));

    private static LLVMTypeRef TransposeType(LlvmEmitter e) => e.FunctionType(e.Void, e.Ptr, e.I64, e.I64, e.I64, e.Ptr);

    private static void EmitBody(LlvmEmitter e, int lanes, LLVMValueRef source, LLVMValueRef lineStride, LLVMValueRef lines, LLVMValueRef width, LLVMValueRef run, LLVMValueRef target)
    {
        var vector = e.Vector(e.F32, lanes);
        var zero = LLVM.ConstNull(vector);
        var present = e.SMin(lines, width);
        var groups = e.UDiv(e.Add(width, e.Int(lanes - 1)), e.Int(lanes));
        var blocks = e.UDiv(e.Add(run, e.Int(lanes - 1)), e.Int(lanes));
        e.For(e.Int(0), groups, group =>
        {
            var firstLine = e.Mul(group, e.Int(lanes));
            var groupSource = e.Gep(e.F32, source, e.Mul(firstLine, lineStride));
            var groupTarget = e.Gep(e.F32, target, firstLine);
            var inPanel = GemmMicroKernel.LaneMask(e, e.Sub(width, firstLine), lanes);
            e.For(e.Int(0), blocks, block =>
            {
                var kk0 = e.Mul(block, e.Int(lanes));
                var count = e.Sub(run, kk0);
                var steps = GemmMicroKernel.LaneMask(e, count, lanes);
                var rows = new LLVMValueRef[lanes];
                for (var l = 0; l < lanes; l++)
                {
                    var line = e.Add(firstLine, e.Int(l));
                    var mask = e.And(steps, e.Splat(e.ICmp(LLVMIntPredicate.LLVMIntSLT, line, present), lanes));
                    var address = e.Gep(e.F32, groupSource, e.Add(e.Mul(e.Int(l), lineStride), kk0));
                    rows[l] = e.CallIntrinsic($"llvm.masked.load.v{lanes}f32.p0", vector, address, e.Int32(sizeof(float)), mask, zero);
                }
                var columns = Transpose(e, rows);
                for (var kk = 0; kk < lanes; kk++)
                {
                    var address = e.Gep(e.F32, groupTarget, e.Mul(e.Add(kk0, e.Int(kk)), width));
                    var mask = e.And(inPanel, e.Splat(e.ICmp(LLVMIntPredicate.LLVMIntSLT, e.Int(kk), count), lanes));
                    e.CallIntrinsic($"llvm.masked.store.v{lanes}f32.p0", e.Void, columns[kk], address, e.Int32(sizeof(float)), mask);
                }
            });
        });
    }

    // The transpose of a square block of vectors: each stage swaps bit b of the vector index with
    // bit b of the lane index (two-source shuffles), and after every bit the two are exchanged.
    private static LLVMValueRef[] Transpose(LlvmEmitter e, LLVMValueRef[] rows)
    {
        var lanes = rows.Length;
        var result = (LLVMValueRef[])rows.Clone();
        for (var b = 1; b < lanes; b *= 2)
        {
            var low = ShuffleMask(e, lanes, j => (j & b) == 0 ? j : lanes + j - b);
            var high = ShuffleMask(e, lanes, j => (j & b) == 0 ? j + b : lanes + j);
            for (var i = 0; i < lanes; i++)
            {
                if ((i & b) == 0)
                {
                    var (first, second) = (result[i], result[i + b]);
                    result[i] = LLVM.BuildShuffleVector(e.Builder, first, second, low, "");
                    result[i + b] = LLVM.BuildShuffleVector(e.Builder, first, second, high, "");
                }
            }
        }
        return result;
    }

    /// <summary>A constant shuffle mask whose lane j takes lane <paramref name="source"/>(j) of the two sources.</summary>
    internal static LLVMValueRef ShuffleMask(LlvmEmitter e, int lanes, Func<int, int> source)
    {
        // Inserting constants into a constant folds to a constant vector, as shuffles need.
        var mask = LLVM.ConstNull(e.Vector(e.I32, lanes));
        for (var j = 0; j < lanes; j++)
        {
            mask = LLVM.BuildInsertElement(e.Builder, mask, e.Int32(source(j)), e.Int32(j), "");
        }
        return mask;
    }
}
