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
        SupportFunction.Define(e, routine, TransposeType(e), 5, p => EmitBody(e, routine.Lanes, routine.Width, p[0], p[1], p[2], p[3], p[4]));

    private static LLVMTypeRef TransposeType(LlvmEmitter e) => e.FunctionType(e.Void, e.Ptr, e.I64, e.I64, e.I64, e.Ptr);

    // The panel's lines in groups of lanes, the last group narrower when the width is not a
    // multiple of lanes; its line count is a constant, so a whole block needs no masks.
    private static void EmitBody(LlvmEmitter e, int lanes, int width, LLVMValueRef source, LLVMValueRef lineStride, LLVMValueRef lines, LLVMValueRef run, LLVMValueRef target)
    {
        var blocks = e.UDiv(e.Add(run, e.Int(lanes - 1)), e.Int(lanes));
        if (width / lanes > 0)
        {
            e.For(e.Int(0), e.Int(width / lanes), group => EmitGroup(e, lanes, width, e.Mul(group, e.Int(lanes)), lanes, source, lineStride, lines, run, blocks, target));
        }
        if (width % lanes != 0)
        {
            EmitGroup(e, lanes, width, e.Int(width / lanes * lanes), width % lanes, source, lineStride, lines, run, blocks, target);
        }
    }

    // Lines [firstLine, firstLine + groupLines) of the panel, block by block of lanes steps of k.
    // A block with all its lines present and lanes steps is read with plain loads and written with
    // plain stores of exactly groupLines floats: masked stores are slow on some cores (microcoded
    // on AMD's Zen), and the pack of a small product (attention's) cost more than its arithmetic.
    // A block with none of its lines present (the zero columns of a last, partial panel of B) is
    // written as zeros with plain stores, reading nothing: through the masks it took half of the
    // transposes' time in ResNet-18's 512-channel convolutions, whose column blocks end in panels
    // of 16 or 32 of 48 columns. The rest (the last block of k, lines partly present) keeps the masks.
    private static void EmitGroup(
        LlvmEmitter e, int lanes, int width, LLVMValueRef firstLine, int groupLines,
        LLVMValueRef source, LLVMValueRef lineStride, LLVMValueRef lines, LLVMValueRef run, LLVMValueRef blocks, LLVMValueRef target)
    {
        var vector = e.Vector(e.F32, lanes);
        var zero = LLVM.ConstNull(vector);
        var groupSource = e.Gep(e.F32, source, e.Mul(firstLine, lineStride));
        var groupTarget = e.Gep(e.F32, target, firstLine);
        var allLines = e.ICmp(LLVMIntPredicate.LLVMIntSLE, e.Add(firstLine, e.Int(groupLines)), lines);
        var inGroup = GemmMicroKernel.LaneMask(e, e.Int(groupLines), lanes);
        e.For(e.Int(0), blocks, block =>
        {
            var kk0 = e.Mul(block, e.Int(lanes));
            var count = e.Sub(run, kk0);
            LLVMValueRef Source(int l) => e.Gep(e.F32, groupSource, e.Add(e.Mul(e.Int(l), lineStride), kk0));
            LLVMValueRef Target(int kk) => e.Gep(e.F32, groupTarget, e.Mul(e.Add(kk0, e.Int(kk)), e.Int(width)));
            PrefetchAhead(e, lanes, groupLines, groupSource, lineStride, run, kk0);
            var wholeBlock = e.ICmp(LLVMIntPredicate.LLVMIntSGE, count, e.Int(lanes));
            var whole = e.And(allLines, wholeBlock);
            var noLines = e.And(e.ICmp(LLVMIntPredicate.LLVMIntSGE, firstLine, lines), wholeBlock);
            e.IfElse(whole, () =>
            {
                var columns = Transpose(e, [.. Enumerable.Range(0, lanes).Select(l => l < groupLines ? e.Load(vector, Source(l), sizeof(float)) : zero)]);
                for (var kk = 0; kk < lanes; kk++)
                {
                    LeadingLanes.Store(e, lanes, columns[kk], groupLines, Target(kk));
                }
            }, () => e.IfElse(noLines, () =>
            {
                for (var kk = 0; kk < lanes; kk++)
                {
                    LeadingLanes.Store(e, lanes, zero, groupLines, Target(kk));
                }
            }, () =>
            {
                var steps = GemmMicroKernel.LaneMask(e, count, lanes);
                var rows = new LLVMValueRef[lanes];
                for (var l = 0; l < lanes; l++)
                {
                    var mask = e.And(steps, e.Splat(e.ICmp(LLVMIntPredicate.LLVMIntSLT, e.Add(firstLine, e.Int(l)), lines), lanes));
                    rows[l] = l < groupLines ? e.CallIntrinsic($"llvm.masked.load.v{lanes}f32.p0", vector, Source(l), e.Int32(sizeof(float)), mask, zero) : zero;
                }
                var columns = Transpose(e, rows);
                for (var kk = 0; kk < lanes; kk++)
                {
                    var mask = e.And(inGroup, e.Splat(e.ICmp(LLVMIntPredicate.LLVMIntSLT, e.Int(kk), count), lanes));
                    e.CallIntrinsic($"llvm.masked.store.v{lanes}f32.p0", e.Void, columns[kk], Target(kk), e.Int32(sizeof(float)), mask);
                }
            }));
        });
    }

    // How many blocks of k ahead of the one being packed each line is prefetched.
    private const int PrefetchBlocks = 8;

    // Prefetches each line of the group PrefetchBlocks blocks of k ahead, and past the end of the
    // run the start of the next lines (the next group, or the next panel's rows). A skinny product
    // uses each packed element only a few times, and its pack read the large operand from memory
    // one cache line per line and block, lines a whole row apart: runs too short for the hardware
    // prefetcher, so the loads waited on memory (4096x4096x64 on Zen 5, AVX-512: 172-181 -> 181-194
    // GFLOP/s per CPU-second). Prefetches never fault, so reaching past the operand is harmless.
    private static void PrefetchAhead(LlvmEmitter e, int lanes, int groupLines, LLVMValueRef groupSource, LLVMValueRef lineStride, LLVMValueRef run, LLVMValueRef kk0)
    {
        var ahead = e.Add(kk0, e.Int(PrefetchBlocks * lanes));
        var wrapped = e.ICmp(LLVMIntPredicate.LLVMIntSGE, ahead, run);
        var lineOffset = e.Select(wrapped, e.Int(groupLines), e.Int(0));
        var column = e.Select(wrapped, e.Sub(ahead, run), ahead);
        for (var l = 0; l < groupLines; l++)
        {
            var address = e.Gep(e.F32, groupSource, e.Add(e.Mul(e.Add(e.Int(l), lineOffset), lineStride), column));
            // Arguments: read (0), highest locality (3: into L1), data cache (1).
            e.CallIntrinsic("llvm.prefetch.p0", e.Void, address, e.Int32(0), e.Int32(3), e.Int32(1));
        }
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
