using ModelC.Backend.Kernels;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Chooses a GEMM's <see cref="GemmTiling"/> from its sizes and the target's vector width with a
/// small cost model. The register tile is the one with the fewest modelled cycles over the
/// output: each tile call costs, per step of k, the most of FMAs / 2 FMA units, loads / 2 load
/// ports, one FMA latency, and its row of packed B read from L2 (the A micro-panel stays in L1,
/// B panels stream past it), plus a fixed cost per call (reading and writing its part of C);
/// the rows and columns a shape leaves over run smaller tiles, so a tile that fits the shape
/// wins. A symbolic size (the batch) is costed as large. Block sizes follow the cache:
/// the A micro-panel in half of L1 (a small current x86-64 core's), the packed B block in half
/// of L2, rounded up to whole tiles: the host's when the code is for the host (a wider B block
/// means A is packed fewer times; rounded down, 512 columns of 48-column tiles took two blocks
/// and packed A twice), else a small current core's, so that a portable build runs well on others.
/// With AVX2 the B block is 2 MiB instead, whatever the L2: its tiles (6 × 16, 4 × 24) keep their
/// pace with B streamed from an AMD Zen core's L3, and the wider block packs A fewer times and
/// reads each row of a row-major B in longer runs (AVX2 code on a Zen 4 core, per-thread CPU of
/// one thread, 1024 columns for 256: 64 × 4096 × 4096 44–47 → 60–69 GFLOP/s). AVX-512 keeps its
/// blocks in half of L2: they were measured on a Xeon, whose mesh L3 streams slower. A product
/// shallower than the depth block is packed as one block of its own depth, as before, but its B
/// block's width is sized for that depth, not the depth block's: 4096 × 64 × 4096 packed its A
/// once per 256 columns (AVX2 code as above, 63–67 → 71–85 GFLOP/s).
/// A product no wider than two tiles takes the deepest depth block instead of the L1-sized one:
/// each A micro-panel then meets at most two B panels, so keeping it in L1 saves little, while
/// packing A, about 40 % of such a product's time, reads each row of A in runs one depth block
/// long (AVX-512 code on a Zen 5 core, per-thread CPU of one thread, 4096 × 4096 × 64:
/// 142–168 → 162–187 GFLOP/s). The tile routine carries each sum on from the C it stored, so the
/// deeper block keeps every sum's order and its bits.
/// </summary>
public static class GemmTilingModel
{
    private const int L1Bytes = 32 * 1024;
    private const int DefaultL2Bytes = 1024 * 1024;
    private const int MaximumL2Bytes = 8 * 1024 * 1024;
    private const int Avx2BlockOfBBytes = 2 * 1024 * 1024;
    private const int FmaLatency = 4;
    private const int L2BytesPerCycle = 16;
    private const int TileCallCycles = 40;
    private const long AssumedSymbolicSize = 1024;
    private const int MaximumBlockDepth = 512;
    private const int FewColumnTiles = 2;

    /// <summary>Tasks a parallel loop is cut into when the shape allows: enough for a few per thread on small machines.</summary>
    public const int Tasks = 16;

    /// <summary>
    /// The tiling for outer × (rows × depth) · (depth × columns) products (null sizes are
    /// symbolic) on a target with <paramref name="lanes"/>-float vectors and
    /// <paramref name="l2Bytes"/> of L2 per core (null: a small current core's, 1 MiB).
    /// </summary>
    public static GemmTiling Choose(long? rows, long? columns, long? depth, int lanes, long? l2Bytes = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        var (m, n, k) = (rows ?? AssumedSymbolicSize, columns ?? AssumedSymbolicSize, depth ?? AssumedSymbolicSize);
        var (height, vectors) = RegisterTiles(lanes)
            .Select((t, preference) => (Tile: t, Cost: Cycles(t.Height, t.Vectors, lanes, m, n, Math.Max(k, 1)), Preference: preference))
            .OrderBy(c => c.Cost).ThenBy(c => c.Preference)
            .First().Tile;
        var tileColumns = vectors * lanes;
        // All of a depth within one block is one block either way, so sums keep their order.
        var blockDepth = Math.Min(
            n <= FewColumnTiles * tileColumns ? MaximumBlockDepth : Math.Clamp(RoundDown(L1Bytes / 2 / (sizeof(float) * height), 16), 16, MaximumBlockDepth),
            RoundUp((int)Math.Min(k, MaximumBlockDepth), 16));
        var l2 = (int)Math.Clamp(l2Bytes ?? DefaultL2Bytes, DefaultL2Bytes / 4, MaximumL2Bytes);
        var blockOfBBytes = lanes == 8 ? Math.Max(Avx2BlockOfBBytes, l2 / 2) : l2 / 2;
        var blockColumns = RoundUp(blockOfBBytes / (sizeof(float) * blockDepth), tileColumns);
        var blockRows = 8 * height;
        return new GemmTiling(lanes, height, vectors, blockDepth, blockRows, blockColumns, Tasks);
    }

    /// <summary>
    /// <paramref name="tiling"/> with A packed once per kernel run and thread
    /// (<see cref="GemmTiling.WholeAFloats"/>) where A is the same for every outer index, its rows
    /// and depth are fixed, a run can visit more than one group of row blocks (an outer index
    /// other than 1, or more columns than one block), and all of it packed fits
    /// <see cref="MaximumWholeABytes"/>; else <paramref name="tiling"/>.
    /// </summary>
    public static GemmTiling PackingAOnce(GemmTiling tiling, bool aVariesWithOuter, long? outer, long? rows, long? columns, long? depth)
    {
        if (aVariesWithOuter || rows is not { } m || depth is not { } k || (outer == 1 && columns is { } n && n <= tiling.BlockColumns))
        {
            return tiling;
        }
        var floats = (m + tiling.TileRows - 1) / tiling.TileRows * tiling.TileRows * k;
        return floats * sizeof(float) <= MaximumWholeABytes ? tiling with { WholeAFloats = floats } : tiling;
    }

    /// <summary>
    /// The most scratch per thread that A packed whole may take (ResNet-18's largest weights,
    /// 512 × 4608, are 9 MiB): scratch is held per thread for the program's life.
    /// </summary>
    public const long MaximumWholeABytes = 16 * 1024 * 1024;

    /// <summary>The most chunks a product's depth is cut into (<see cref="DepthSplit"/>).</summary>
    public const int MaximumDepthChunks = 4;

    /// <summary>The largest output (rows × columns, floats) whose depth is cut into chunks: a convolution's weight gradient, not a layer's activations.</summary>
    public const long MaximumChunkedOutput = 16 * 1024;

    /// <summary>The least depth per chunk, counting a symbolic size (the batch) as 1.</summary>
    public const long MinimumChunkDepth = 256;

    /// <summary>
    /// Where a single product's long depth is cut into a fixed number of chunks, each an outer
    /// index of its own that writes a partial product, summed afterwards in chunk order: the
    /// depth loop (an index into <paramref name="depth"/>, the depth loops' extents, null when
    /// symbolic) and the chunk count, or null to keep the product whole. A convolution's weight
    /// gradient (16 × 144 outputs over batch × 64 × 64) is otherwise a handful of row and column
    /// blocks, which two threads share unevenly, and each block runs the whole depth. The cut
    /// depends on the shape only, never on the thread count, so any number of threads gives the
    /// same bits. Taken for a product with no outer index, at most <see cref="MaximumChunkedOutput"/>
    /// outputs and, per chunk, a depth of at least <see cref="MinimumChunkDepth"/>: as many chunks,
    /// up to <see cref="MaximumDepthChunks"/>, as divide one of the depth loops of fixed extent,
    /// the first such loop (a convolution's output rows, whatever a fixed batch).
    /// </summary>
    public static (int Loop, int Chunks)? DepthSplit(long? outer, long? rows, long? columns, IReadOnlyList<long?> depth)
    {
        ArgumentNullException.ThrowIfNull(depth);
        if (outer != 1 || rows is not { } m || columns is not { } n || m * n > MaximumChunkedOutput)
        {
            return null;
        }
        var fixedDepth = depth.Aggregate(1L, (p, d) => p * (d ?? 1));
        for (var chunks = MaximumDepthChunks; chunks > 1; chunks--)
        {
            var loop = Enumerable.Range(0, depth.Count).FirstOrDefault(l => depth[l] is { } extent && extent % chunks == 0, -1);
            if (loop >= 0 && fixedDepth / chunks >= MinimumChunkDepth)
            {
                return (loop, chunks);
            }
        }
        return null;
    }

    // Tiles whose sums, B vectors and one broadcast fit the vector registers (32 with AVX-512,
    // else 16), in order of preference on ties: two vectors wide, tallest first.
    private static IEnumerable<(int Height, int Vectors)> RegisterTiles(int lanes)
    {
        var registers = lanes >= 16 ? 32 : 16;
        foreach (var vectors in new[] { 2, 3, 4, 1 })
        {
            for (var height = Math.Min(16, (registers - 1 - vectors) / vectors); height >= 1; height--)
            {
                yield return (height, vectors);
            }
        }
    }

    // Modelled cycles of all tile calls covering m × n over k steps.
    private static double Cycles(int height, int vectors, int lanes, long m, long n, long k)
    {
        var tileColumns = vectors * lanes;
        List<(int Height, long Count)> rowTiles =
            [(height, m / height), .. GemmTiling.TailHeightsBelow(height).Where(h => (m % height & h) != 0).Select(h => (h, 1L))];
        var columnTiles = new List<(int Vectors, long Count)> { (vectors, n / tileColumns) };
        if (n % tileColumns != 0)
        {
            columnTiles.Add(((int)((n % tileColumns + lanes - 1) / lanes), 1));
        }
        double total = 0;
        foreach (var (h, rowCount) in rowTiles)
        {
            foreach (var (v, columnCount) in columnTiles)
            {
                var step = new[] { h * v / 2.0, (h + v) / 2.0, FmaLatency, (double)v * lanes * sizeof(float) / L2BytesPerCycle }.Max();
                total += rowCount * columnCount * (step * k + TileCallCycles);
            }
        }
        return total;
    }

    private static int RoundDown(int value, int multiple) => value / multiple * multiple;

    private static int RoundUp(int value, int multiple) => Math.Max(1, (value + multiple - 1) / multiple) * multiple;
}
