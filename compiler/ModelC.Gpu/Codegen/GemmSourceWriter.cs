using ModelC.Backend.Kernels;
using ModelC.Gpu.Runtime;

namespace ModelC.Gpu.Codegen;

/// <summary>
/// A GEMM kernel as a tiled ILGPU kernel. A group of gx × gy threads computes an output tile of
/// (gy · <see cref="ThreadRows"/>) × (gx · <see cref="ThreadColumns"/>) elements, looping over its
/// depth in steps of <see cref="TileDepth"/>: per step the group evaluates the A and B operand
/// expressions (views and producers fused in) into shared memory, then each thread accumulates
/// its <see cref="ThreadRows"/> × <see cref="ThreadColumns"/> sums in registers from there. Rows
/// and columns of a thread are gy and gx apart, so neighbouring threads read neighbouring shared
/// memory. Groups stride over the tiles. Every element's sum runs over k in order, as on the CPU.
/// </summary>
internal static class GemmSourceWriter
{
    /// <summary>Output rows per thread.</summary>
    public const int ThreadRows = 4;

    /// <summary>Output columns per thread.</summary>
    public const int ThreadColumns = 4;

    /// <summary>Depth of the shared-memory tiles.</summary>
    public const int TileDepth = 16;

    /// <summary>Writes the tiling constants the runtime reads to launch the kernel.</summary>
    public static void WriteConstants(SourceBuilder code)
    {
        code.Line($"public const int {GpuKernelConvention.TileDepthField} = {TileDepth};");
        code.Line($"public const int {GpuKernelConvention.ThreadRowsField} = {ThreadRows};");
        code.Line($"public const int {GpuKernelConvention.ThreadColumnsField} = {ThreadColumns};");
    }

    /// <summary>Writes the body of the kernel method.</summary>
    public static void WriteBody(SourceBuilder code, ExprWriter x, GemmKernel kernel)
    {
        var (outer, row, depth, column) = (new LoopVar(-2), new LoopVar(-3), new LoopVar(-4), new LoopVar(-5));
        var (o, m, k, n) = (ExprWriter.NameOf(outer), ExprWriter.NameOf(row), ExprWriter.NameOf(depth), ExprWriter.NameOf(column));
        code.Line($"long gemmO = {x.Write(KernelSourceWriter.Product(kernel.Outer))};");
        code.Line($"long gemmM = {x.Write(KernelSourceWriter.Product(kernel.Rows))};");
        code.Line($"long gemmN = {x.Write(KernelSourceWriter.Product(kernel.Columns))};");
        code.Line($"long gemmK = {x.Write(KernelSourceWriter.Product(kernel.Depth))};");
        code.Line("int gx = Group.DimX, gy = Group.DimY, tx = Group.IdxX, ty = Group.IdxY;");
        code.Line("int threads = gx * gy, thread = ty * gx + tx;");
        code.Line($"long tileM = (long)gy * {ThreadRows}, tileN = (long)gx * {ThreadColumns};");
        code.Line("var shared = SharedMemory.GetDynamic<float>();");
        code.Line($"var sharedA = shared.SubView(0, tileM * {TileDepth});");
        code.Line($"var sharedB = shared.SubView(tileM * {TileDepth}, tileN * {TileDepth});");
        code.Line("long rowTiles = (gemmM + tileM - 1) / tileM, columnTiles = (gemmN + tileN - 1) / tileN;");
        code.Line("long tiles = gemmO * rowTiles * columnTiles;");
        code.Block("for (long tile = Grid.IdxX; tile < tiles; tile += Grid.DimX)", () =>
        {
            code.Line($"long {o} = tile / (rowTiles * columnTiles);");
            code.Line("long m0 = tile / columnTiles % rowTiles * tileM, n0 = tile % columnTiles * tileN;");
            KernelSourceWriter.BindLoops(code, x, kernel.Outer, outer);
            for (var i = 0; i < ThreadRows; i++)
            {
                code.Line(string.Join(" ", Enumerable.Range(0, ThreadColumns).Select(j => $"float c{i}{j} = 0f;")));
            }
            code.Block($"for (long k0 = 0; k0 < gemmK; k0 += {TileDepth})", () =>
            {
                // A's tile, row-major m × k; B's, row-major k × n. Outside the matrix: 0.
                code.Block($"for (long e = thread; e < tileM * {TileDepth}; e += threads)", () =>
                {
                    code.Line($"long {m} = m0 + e / {TileDepth}, {k} = k0 + e % {TileDepth};");
                    code.Line("float value = 0f;");
                    code.Block($"if ({m} < gemmM && {k} < gemmK)", () =>
                    {
                        KernelSourceWriter.BindLoops(code, x, kernel.Rows, row);
                        KernelSourceWriter.BindLoops(code, x, kernel.Depth, depth);
                        code.Line($"value = {x.Write(kernel.A)};");
                    });
                    code.Line("sharedA[e] = value;");
                });
                code.Block($"for (long e = thread; e < tileN * {TileDepth}; e += threads)", () =>
                {
                    code.Line($"long {k} = k0 + e / tileN, {n} = n0 + e % tileN;");
                    code.Line("float value = 0f;");
                    code.Block($"if ({k} < gemmK && {n} < gemmN)", () =>
                    {
                        KernelSourceWriter.BindLoops(code, x, kernel.Depth, depth);
                        KernelSourceWriter.BindLoops(code, x, kernel.Columns, column);
                        code.Line($"value = {x.Write(kernel.B)};");
                    });
                    code.Line("sharedB[e] = value;");
                });
                code.Line("Group.Barrier();");
                // Only the depth that exists: each sum adds exactly its own terms, in order.
                code.Line($"long steps = KernelMath.Min({TileDepth}L, gemmK - k0);");
                code.Block("for (long kk = 0; kk < steps; kk++)", () =>
                {
                    for (var i = 0; i < ThreadRows; i++)
                    {
                        code.Line($"float ra{i} = sharedA[(ty + {i} * gy) * {TileDepth} + kk];");
                    }
                    for (var j = 0; j < ThreadColumns; j++)
                    {
                        code.Line($"float rb{j} = sharedB[kk * tileN + tx + {j} * gx];");
                    }
                    for (var i = 0; i < ThreadRows; i++)
                    {
                        code.Line(string.Join(" ", Enumerable.Range(0, ThreadColumns).Select(j => $"c{i}{j} += ra{i} * rb{j};")));
                    }
                });
                code.Line("Group.Barrier();");
            });
            for (var i = 0; i < ThreadRows; i++)
            {
                for (var j = 0; j < ThreadColumns; j++)
                {
                    var (ii, jj) = (i, j);
                    code.Block("", () =>
                    {
                        code.Line($"long {m} = m0 + ty + {ii} * gy, {n} = n0 + tx + {jj} * gx;");
                        code.Block($"if ({m} < gemmM && {n} < gemmN)", () =>
                        {
                            KernelSourceWriter.BindLoops(code, x, kernel.Rows, row);
                            KernelSourceWriter.BindLoops(code, x, kernel.Columns, column);
                            x.AccumulatorName = $"c{ii}{jj}";
                            code.Line(x.Store(kernel.Output, $"({o} * gemmM + {m}) * gemmN + {n}", x.Write(kernel.Epilogue)));
                            x.AccumulatorName = null;
                        });
                    });
                }
            }
        });
    }
}
