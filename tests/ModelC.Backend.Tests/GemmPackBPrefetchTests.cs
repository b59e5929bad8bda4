using ModelC.Backend.Cpu;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Backend.Targets;

namespace ModelC.Backend.Tests;

/// <summary>
/// A GEMM kernel that packs B row by row (B contiguous along its columns) prefetches the rows
/// ahead of the one it copies: a product of few rows and a large B read B from memory faster than
/// the hardware prefetcher fetched it. The transposing packs are support routines, not in the
/// kernel's module, so a B contiguous along k (B's transpose) leaves the kernel without prefetches.
/// The prefetches move no data, so the results are covered by the GEMM tests.
/// </summary>
public sealed class GemmPackBPrefetchTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void OnlyAKernelPackingBRowByRowPrefetches(bool transposedB, bool prefetches)
    {
        var ir = KernelIr(transposedB);
        Assert.Equal(prefetches, ir.Contains("call void @llvm.prefetch.p0"));
    }

    // The unoptimised IR of the GEMM kernel of a 40 x 50 x 60 product, B given as [k, n] or as [n, k].
    private static string KernelIr(bool transposedB)
    {
        var b = new SweepCaseBuilder($"prefetch_b_{transposedB}");
        var graph = b.Build(transposedB
            ? b.Graph.Contract(b.Floats([40, 50]), b.Floats([60, 50]), [0, 1], [2, 1], [0, 2])
            : b.Graph.Contract(b.Floats([40, 50]), b.Floats([50, 60]), [0, 1], [1, 2], [0, 2])).Graph;
        var program = ProgramBuilder.Build(graph, CpuTarget.Host);
        var gemm = Assert.Single(program.Kernels.OfType<GemmKernel>());
        return EmittedFunction.Module("gemm", e => GemmKernelEmitter.Emit(e, new MathFunctions(e), gemm, program.Symbols));
    }
}
