using ModelC.Backend.Cpu;

namespace ModelC.Backend.Tests.Driver;

/// <summary>
/// The CPU code generator walks a module's instructions (twice, through LLVM) and reports stage
/// times only when created to measure (<c>--timings</c>); otherwise every compile would pay for it.
/// The times come with the object they describe, not from a per-thread "last call".
/// </summary>
public sealed class CodeGenerationTimesTests
{
    [Fact]
    public void AGeneratorMeasuresOnlyWhenAsked()
    {
        var kernel = TestKernels.Map();
        using var plain = CpuTarget.Host.CreateCodeGenerator();
        using var measuring = CpuTarget.Host.CreateCodeGenerator(measure: true);

        var unmeasured = plain.Compile(kernel, []);
        var measured = measuring.Compile(kernel, []);

        Assert.Null(unmeasured.Times);
        var times = Assert.NotNull(measured.Times);
        Assert.True(times.InstructionsEmitted > 0 && times.InstructionsOptimised > 0, $"{times}");
        Assert.Equal(unmeasured.Bytes, measured.Bytes);
    }
}
