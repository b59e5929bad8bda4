using ModelC.Llvm.Interop;

namespace ModelC.Backend.Cpu;

/// <summary>
/// Stores the leading lanes of a vector as plain stores of power-of-two pieces (6 of 8: four,
/// then two), none past the count: for a count known when the code is emitted, this replaces a
/// masked store, which is slow on some cores (microcoded on AMD's Zen). The packs of the GEMM
/// write panels of MR or NR floats, often not a whole number of vectors; where the source has
/// all of them, they are also read so (<see cref="Copy"/>) instead of with a masked load.
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

    /// <summary>
    /// Copies <paramref name="count"/> floats (at most <paramref name="lanes"/>) from
    /// <paramref name="source"/> to <paramref name="target"/> (both 4-byte aligned) with plain
    /// loads and stores of power-of-two pieces, none past the count.
    /// </summary>
    public static void Copy(LlvmEmitter e, int lanes, int count, LLVMValueRef source, LLVMValueRef target)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, lanes);
        var offset = 0;
        for (var piece = lanes; piece >= 1; piece /= 2)
        {
            if (count - offset < piece)
            {
                continue;
            }
            var type = piece == 1 ? e.F32 : e.Vector(e.F32, piece);
            var at = e.Int(offset);
            e.Store(e.Load(type, e.Gep(e.F32, source, at), sizeof(float)), e.Gep(e.F32, target, at), sizeof(float));
            offset += piece;
        }
    }
}
