using ModelC.Backend.Cpu;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Tests.Driver;

/// <summary>
/// The CPU code generator walks a module's instructions (twice, through LLVM) and reports stage
/// times only when created to measure (<c>--timings</c>); otherwise every compile would pay for it.
/// The times come with the object they describe, not from a per-thread "last call", and are the
/// compiling thread's CPU time, so that a busy machine does not inflate them.
/// </summary>
[Collection(nameof(CodeGenerationTimesTests))]
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

    [Fact]
    public void StageTimesAreTheCompilingThreadsCpuTime()
    {
        var kernel = TestKernels.Map();
        using var measuring = CpuTarget.Host.CreateCodeGenerator(measure: true);
        measuring.Compile(kernel, []);
        // A spinning thread on every core makes the compile wait for a core: its wall time then
        // exceeds the CPU time this thread spends in it, which bounds the stage times. The spin
        // lasts one small compile, and the class runs alone so it starves no other test.
        var spinning = 1;
        var spinners = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => new Thread(() => { while (Volatile.Read(ref spinning) == 1) { } }) { IsBackground = true })
            .ToArray();
        foreach (var spinner in spinners)
        {
            spinner.Start();
        }
        try
        {
            var start = ThreadCpuClock.Nanoseconds();
            var measured = measuring.Compile(kernel, []);
            var cpu = ThreadCpuClock.Since(start);

            var times = Assert.NotNull(measured.Times);
            Assert.True(times.Total <= cpu, $"stages {times.Total.TotalMilliseconds} ms > the thread's CPU time in the compile, {cpu.TotalMilliseconds} ms");
        }
        finally
        {
            Volatile.Write(ref spinning, 0);
            foreach (var spinner in spinners)
            {
                spinner.Join();
            }
        }
    }
}

/// <summary>Runs <see cref="CodeGenerationTimesTests"/> while no other test class runs: its spinning threads would slow them.</summary>
[CollectionDefinition(nameof(CodeGenerationTimesTests), DisableParallelization = true)]
public sealed class CodeGenerationTimesCollection;
