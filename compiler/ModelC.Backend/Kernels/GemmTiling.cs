namespace ModelC.Backend.Kernels;

/// <summary>
/// How one <see cref="GemmKernel"/> is blocked, chosen for its shape and the target's vector width
/// when the program is built (see <c>Scheduling/GemmTilingModel.cs</c>). The code keeps a
/// <see cref="TileRows"/> × <see cref="TileColumns"/> tile of sums in vector registers; B is
/// packed once per (column block, depth block) and reused by every row block a thread computes;
/// A is packed per row block. How the parallel loop is cut into tasks is worked out at run time
/// from the actual sizes (a symbolic batch is only known then), bounded by these sizes. None of
/// this changes the order of any element's sum over k, so results do not depend on the tiling
/// beyond <see cref="BlockDepth"/> (nor ever on the thread count).
/// </summary>
/// <param name="Lanes">Floats per vector register (16 with AVX-512, 8 with AVX2).</param>
/// <param name="TileRows">Rows of the register tile (MR); rows left over at the bottom run smaller tiles of power-of-two heights.</param>
/// <param name="TileVectors">Vectors per tile row: the tile is <see cref="TileVectors"/> × <see cref="Lanes"/> columns wide (NR).</param>
/// <param name="BlockDepth">The most depth packed at once (KC); the depth is cut into equal blocks no larger.</param>
/// <param name="BlockRows">The most rows per task (MC), a multiple of <see cref="TileRows"/>.</param>
/// <param name="BlockColumns">The most columns per packed B block (NC), a multiple of <see cref="TileColumns"/>.</param>
/// <param name="Tasks">How many tasks the parallel loop is cut into when the shape allows, so that every thread gets work: row blocks first (they share packed B), then column blocks.</param>
/// <param name="WholeAFloats">
/// Floats of all of A packed at once (its rows rounded up to whole tiles × its depth), when A is
/// the same for every outer index (a convolution's weights, with the batch outer): each thread
/// then packs every row block of A once per kernel run and reuses it for all its outer indices
/// and column blocks, instead of once per task. 0: A is packed per task, into one row block.
/// </param>
public sealed record GemmTiling(int Lanes, int TileRows, int TileVectors, int BlockDepth, int BlockRows, int BlockColumns, int Tasks, long WholeAFloats = 0)
{
    /// <summary>Whether all of A is packed once per kernel run and thread (see <see cref="WholeAFloats"/>).</summary>
    public bool PacksAOnce => WholeAFloats > 0;

    /// <summary>Floats of scratch for packed A, rounded up to 64 bytes so that packed B, which follows it, stays aligned for whole-vector stores.</summary>
    public long PackedAFloats => ((PacksAOnce ? WholeAFloats : (long)BlockRows * BlockDepth) + 15) / 16 * 16;

    /// <summary>Columns of the register tile (NR).</summary>
    public int TileColumns => TileVectors * Lanes;

    /// <summary>Bytes of per-thread scratch the kernel packs A and B into.</summary>
    public long ScratchBytes => sizeof(float) * (PackedAFloats + (long)BlockDepth * BlockColumns);

    /// <summary>The heights of the smaller tiles that finish a row block whose rows are not a multiple of <see cref="TileRows"/>: the powers of two below it, largest first.</summary>
    public IEnumerable<int> TailHeights => TailHeightsBelow(TileRows);

    /// <summary>The powers of two below <paramref name="tileRows"/>, largest first: any count of rows below it is a sum of some of them.</summary>
    public static IEnumerable<int> TailHeightsBelow(int tileRows)
    {
        var height = 1;
        while (height * 2 < tileRows)
        {
            height *= 2;
        }
        for (; height >= 1 && height < tileRows; height /= 2)
        {
            yield return height;
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{TileRows}x{TileColumns} tile ({Lanes} lanes), blocks {BlockRows} rows x {BlockColumns} columns x {BlockDepth} deep, {Tasks} tasks"
        + (PacksAOnce ? $", A packed once ({WholeAFloats} floats)" : "");
}
