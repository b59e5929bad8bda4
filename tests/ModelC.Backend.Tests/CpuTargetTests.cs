using System.Buffers.Binary;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Llvm;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Tests;

/// <summary>
/// What a CPU target asks of the machine that runs its code (the features the manifest records)
/// and what LLVM can build it for: every x86-64 level, named CPUs checked before LLVM sees them,
/// and other architectures (object code only: linking them needs a cross linker).
/// </summary>
public sealed class CpuTargetTests
{
    [Fact]
    public void ThePortableTargetNeedsAvx2AndFmaButNotAvx512()
    {
        var features = CpuTarget.Portable.RequiredFeatures.ToArray();
        Assert.Equal(["avx", "avx2", "bmi", "bmi2", "fma", "lzcnt", "popcnt", "sse", "sse2", "sse3", "sse4.1", "sse4.2", "ssse3"], features);
        Assert.Equal(8, CpuTarget.Portable.VectorLanes);
    }

    [Theory]
    [InlineData("x86-64", "sse2", "sse3")]
    [InlineData("x86-64-v2", "sse4.2", "avx")]
    [InlineData("x86-64-v4", "avx512vl", "avx512vbmi")]
    [InlineData("znver3", "avx2", "avx512f")]
    [InlineData("sapphirerapids", "avx512bw", "avx512vbmi")]
    public void ACpuNeedsTheFeaturesOfItsLevel(string cpu, string needed, string notNeeded)
    {
        var features = new CpuTarget(Cpu: cpu).RequiredFeatures;
        Assert.Contains(needed, features);
        Assert.DoesNotContain(notNeeded, features);
    }

    [Fact]
    public void ExplicitFeaturesAreAddedAndRemoved()
    {
        var features = new CpuTarget(Cpu: "x86-64-v3", Features: "+avx512f,-fma").RequiredFeatures;
        Assert.Contains("avx512f", features);
        Assert.DoesNotContain("fma", features);
    }

    [Fact]
    public void TheHostNeedsOnlyWhatThisCpuHas()
    {
        var features = CpuTarget.Host.RequiredFeatures;
        Assert.Contains("avx2", features);
        Assert.All(features, f => Assert.True(CpuFeatureSupport.IsSupported(f), f));
    }

    [Fact]
    public void TheManifestRecordsTheFeatures()
    {
        var b = new SweepCaseBuilder("features");
        var graph = b.Build(b.Graph.Contract(b.Floats([3, 5]), b.Floats([5, 7]), [0, 1], [1, 2], [0, 2])).Graph;
        var compiled = ModelCompiler.CompileAll([new ProgramSource(graph)], CpuTarget.Portable, new CompileOptions { Code = CodeForm.ManifestOnly });
        Assert.Equal(CpuTarget.Portable.RequiredFeatures.ToArray(), compiled[0].Manifest.CpuFeatures.ToArray());
    }

    [Fact]
    public void AnUnknownX86CpuIsRefusedBeforeLlvmSeesIt()
    {
        var error = Assert.Throws<LlvmException>(() => new CpuTarget(Cpu: "notacpu").VectorLanes);
        Assert.StartsWith("unknown x86-64 CPU 'notacpu': use a level (x86-64, x86-64-v2, x86-64-v3, x86-64-v4)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAArch64CrossBuildCompilesEveryKernelToAnAArch64Object()
    {
        const ushort ElfMachineAArch64 = 183;
        var target = new CpuTarget("aarch64-linux-gnu");
        Assert.Empty(target.RequiredFeatures);
        Assert.Equal(4, target.VectorLanes);
        var b = new SweepCaseBuilder("cross");
        var product = b.Graph.Contract(b.Floats([8, 16]), b.Floats([16, 12]), [0, 1], [1, 2], [0, 2]);
        var program = ProgramBuilder.Build(b.Build(product, b.Graph.Unary(Compiler.IR.Ops.UnaryKind.Tanh, b.Floats([8, 3]))).Graph, target);
        Assert.Contains(program.Kernels, k => k is GemmKernel);
        Assert.Contains(program.Kernels, k => k is MapKernel);
        using var generator = target.CreateCodeGenerator();
        var objects = program.Kernels.Select(k => generator.Compile(k, program.Symbols).Bytes)
            .Concat(program.Kernels.SelectMany(target.SupportOf).Distinct().Select(r => generator.Compile(r).Bytes));
        Assert.All(objects, code =>
        {
            Assert.Equal("\u007fELF"u8.ToArray(), code[..4]);
            Assert.Equal(ElfMachineAArch64, BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(18)));
        });
    }
}
