using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Backend.Targets;
using ModelC.Llvm;

namespace ModelC.Backend.Tests.Driver;

/// <summary>
/// GEMM kernels call their register tile and transpose in support objects instead of carrying
/// copies: a kernel's object alone cannot run, and a routine compiled once is taken from the
/// cache by every later program that calls it.
/// </summary>
public sealed class SupportRoutineTests
{
    [Fact]
    public void AGemmKernelsObjectLinksOnlyWithItsSupportObjects()
    {
        var program = ProgramBuilder.Build(MatMul(13, 29, 35).Graph, CpuTarget.Host);
        var gemm = Assert.Single(program.Kernels.OfType<GemmKernel>()) with { Symbol = "mc_gemm_under_test" };
        var support = CpuTarget.Host.SupportOf(gemm);
        Assert.Equal([typeof(GemmTileRoutine), typeof(GemmTransposeRoutine), typeof(GemmTransposeRoutine)], support.Select(r => r.GetType()));
        using var generator = CpuTarget.Host.CreateCodeGenerator();
        var kernel = new KernelObject(new KernelKey(new string('a', 64)), generator.Compile(gemm, program.Symbols).Bytes);
        var routines = support.Select((r, i) => new KernelObject(new KernelKey(new string((char)('b' + i), 64)), generator.Compile(r).Bytes)).ToArray();

        using (var alone = CpuTarget.Host.Load([kernel]))
        {
            Assert.Throws<LlvmException>(() => alone.GetKernel(gemm.Symbol));
        }
        using var linked = CpuTarget.Host.Load([kernel, .. routines]);
        Assert.NotEqual(0, linked.GetKernel(gemm.Symbol));
    }

    [Fact]
    public void ASupportRoutineCompiledOnceIsTakenFromTheCacheByTheNextProgram()
    {
        using var cache = new TempDirectory();
        var options = new CompileOptions { Cache = new CompileCache(cache.Path), Code = CodeForm.InProcess };
        var (first, second) = (MatMul(13, 29, 35).Graph, MatMul(13, 31, 35).Graph);
        var routines = new[] { first, second }.Select(g => ProgramBuilder.Build(g, CpuTarget.Host).Kernels.SelectMany(CpuTarget.Host.SupportOf).ToArray()).ToArray();
        Assert.Equal(routines[0], routines[1]);

        var cold = new CountingTarget();
        using (ModelCompiler.Compile(first, cold, options).Kernels)
        {
            Assert.Equal(1 + routines[0].Length, cold.Compiled);
        }
        var identity = CodeGeneratorIdentity.Of(cold);
        Assert.All(routines[0], r => Assert.True(File.Exists(new CompileCache(cache.Path).PathOf(SupportFingerprint.Of(r, identity)))));

        var next = new CountingTarget();
        var compiled = ModelCompiler.Compile(second, next, options);
        using var kernels = compiled.Kernels;
        Assert.Equal(1, next.Compiled);
        Assert.Equal(routines[1].Length, compiled.Statistics.SupportRoutines);
    }

    private static SweepCase MatMul(int m, int k, int n)
    {
        var b = new SweepCaseBuilder($"support_matmul_{m}x{k}x{n}");
        return b.Build(b.Graph.Contract(b.Floats([m, k]), b.Floats([k, n]), [0, 1], [1, 2], [0, 2]));
    }
}
