using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests.Driver;

/// <summary>
/// A kernel's size counts each distinct expression node once, a shared one once (the emitter
/// emits it once), and the compile batch starts the largest of equally ranked kernels first.
/// </summary>
public sealed class KernelSizeTests
{
    [Fact]
    public void CountsTheLoopExtentsAndEveryNodeOfTheBody()
    {
        // Extents 4 and 16; mul(load(a, [i, j]), 2): mul, load, i, j, 2.
        Assert.Equal(7, KernelSize.Of(TestKernels.Map()));
    }

    [Fact]
    public void ASharedNodeCountsOnceAndAnEqualCopyTwice()
    {
        var map = TestKernels.Map();
        var load = (Load)((Binary)map.Body).Left;
        var shared = map with { Body = new Binary(BinaryKind.Add, load, load) };
        var copied = map with { Body = new Binary(BinaryKind.Add, load, load with { }) };
        Assert.Equal(6, KernelSize.Of(shared));
        Assert.Equal(7, KernelSize.Of(copied));
    }

    [Fact]
    public void TheBatchStartsTheLargestKernelOfARankFirst()
    {
        var small = TestKernels.Map();
        Expr body = small.Body;
        for (var i = 0; i < 20; i++)
        {
            body = new Unary(UnaryKind.Neg, body);
        }
        var large = small with { Body = body, Description = "%2 neg" };
        KernelJob Job(MapKernel kernel, char hex)
        {
            var key = new KernelKey(new string(hex, 64));
            return new(key, kernel with { Symbol = key.Symbol }, []);
        }
        var timings = new CompileTimings();
        KernelBatch.Compile([Job(small, 'a'), Job(large, 'b')], CpuTarget.Host, cache: null, parallelism: 1, timings: timings);
        Assert.Equal(["%2 neg", "%1 mul"], timings.Kernels.Select(k => k.Origin));
    }
}
