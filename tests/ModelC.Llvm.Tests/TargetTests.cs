using ModelC.Llvm.Interop;

namespace ModelC.Llvm.Tests;

/// <summary>
/// Every target the library was built with is registered (the header's LLVMInitializeAll* macros
/// cannot be called), and x86-64 CPU names are checked before LLVM sees them.
/// </summary>
public sealed class TargetTests
{
    [Fact]
    public void EveryTargetOfTheLibraryIsRegistered()
    {
        Assert.Contains("X86", NativeTarget.Targets);
        Assert.Contains("AArch64", NativeTarget.Targets);
    }

    [Theory]
    [InlineData("aarch64-linux-gnu")]
    [InlineData("riscv64-unknown-linux-gnu")]
    public void AMachineForAnotherArchitectureIsCreated(string triple)
    {
        var machine = NativeTarget.CreateMachine(triple);
        Assert.NotEqual(0, machine.Handle);
        LLVM.DisposeTargetMachine(machine);
    }

    [Theory]
    [InlineData("x86-64", 1)]
    [InlineData("x86-64-v3", 3)]
    [InlineData("haswell", 3)]
    [InlineData("sapphirerapids", 4)]
    [InlineData("notacpu", null)]
    [InlineData("X86-64-V3", null)]
    public void X86CpusHaveTheirLevels(string cpu, int? level) => Assert.Equal(level, X86Cpus.LevelOf(cpu));

    [Fact]
    public void EachLevelHasTheFeaturesOfTheOnesBelow()
    {
        Assert.Equal(["sse", "sse2"], X86Cpus.FeaturesOf(1));
        Assert.Superset(X86Cpus.FeaturesOf(2).ToHashSet(), X86Cpus.FeaturesOf(3).ToHashSet());
        Assert.Contains("avx2", X86Cpus.FeaturesOf(3));
        Assert.DoesNotContain("avx512f", X86Cpus.FeaturesOf(3));
        Assert.Contains("avx512f", X86Cpus.FeaturesOf(4));
    }

    [Fact]
    public void AnUnknownX86CpuIsRefusedBeforeLlvmSeesIt()
    {
        var error = Assert.Throws<LlvmException>(() => NativeTarget.CreateMachine("x86_64-pc-linux-gnu", "notacpu"));
        Assert.Equal("unknown x86-64 CPU 'notacpu': use a level (x86-64, x86-64-v2, x86-64-v3, x86-64-v4) or a name LLVM knows, e.g. haswell, skylake-avx512, znver3", error.Message);
    }
}
