using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Stores the leading lanes of a vector as plain stores of power-of-two pieces (6 of 8: four,
/// then two), none past the count: for a count known when the code is emitted, this replaces a
/// masked store, which is slow on some cores (microcoded on AMD's Zen). The packs of the GEMM
/// write panels of MR or NR floats, often not a whole number of vectors.
/// </summary>
internal static class LeadingLanes
{
    /// <summary>Stores lanes [0, <paramref name="count"/>) of <paramref name="value"/>, a vector of <paramref name="lanes"/> floats, at <paramref name="address"/> (4-byte aligned).</summary>
    public static void Store(LlvmEmitter e, int lanes, LLVMValueRef value, int count, LLVMValueRef address)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, lanes);
        if (count == lanes)
        {
            e.Store(value, address, sizeof(float));
            return;
        }
        var offset = 0;
        for (var piece = lanes / 2; piece >= 1; piece /= 2)
        {
            if (count - offset < piece)
            {
                continue;
            }
            var start = offset;
            var part = piece == 1
                ? LLVM.BuildExtractElement(e.Builder, value, e.Int32(start), "")
                : LLVM.BuildShuffleVector(e.Builder, value, LLVM.GetUndef(LLVM.TypeOf(value)), GemmTransposeKernel.ShuffleMask(e, piece, j => start + j), "");
            e.Store(part, e.Gep(e.F32, address, e.Int(start)), sizeof(float));
            offset += piece;
        }
    }
}
