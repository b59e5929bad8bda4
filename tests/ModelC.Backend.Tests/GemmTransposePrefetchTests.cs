using ModelC.Backend.Cpu;

namespace ModelC.Backend.Tests;

/// <summary>
/// The GEMM pack that transposes an operand prefetches every line of its panel ahead of the
/// block it reads: skinny products read that operand from memory in runs too short for the
/// hardware prefetcher. The prefetches move no data, so the results are covered by the GEMM tests.
/// </summary>
public sealed class GemmTransposePrefetchTests
{
    [Theory]
    [InlineData(16, 14)]
    [InlineData(8, 6)]
    [InlineData(16, 48)]
    public void TheTransposePrefetchesEachLineOfAGroupOncePerBlock(int lanes, int width)
    {
        var ir = TransposeIr(new GemmTransposeRoutine(lanes, width));
        // Whole groups of lanes lines share one loop body; a last, narrower group has its own.
        var linesEmitted = (width >= lanes ? lanes : 0) + width % lanes;
        Assert.Equal(linesEmitted, ir.Split('\n').Count(line => line.Contains("call void @llvm.prefetch.p0")));
    }

    private static string TransposeIr(GemmTransposeRoutine routine) =>
        EmittedFunction.Module("transpose", e => GemmTransposeKernel.Define(e, routine));
}
