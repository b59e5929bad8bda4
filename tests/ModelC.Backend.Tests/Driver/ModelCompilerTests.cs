using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;
using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Tests.Driver;

/// <summary>
/// The compiler's entry point: equal kernels compile once, within a program and across the
/// forward pass and the train step; a warm cache compiles nothing and gives the same bits; a
/// damaged cache is recompiled; parallel workers give the objects one worker gives; and a
/// failing kernel surfaces as its own error.
/// </summary>
public sealed class ModelCompilerTests
{
    // Two layers of one shape: their kernels differ only in the weights they read.
    private const string Source = """
        model Twin(B: batch) {
            input  x: f32[B, 16];
            input  y: i32[B];
            output logits = (linear(16) >> relu >> linear(16) >> relu >> linear(4))(x);
            loss   cross_entropy(logits, y);
            optimizer adamw(lr = 1e-3);
        }
        """;

    private static CompileOptions Options(string cache, CodeForm code = CodeForm.InProcess) => new() { Cache = new CompileCache(cache), Code = code };

    [Fact]
    public void EqualKernelsOfAProgramCompileOnceUnderOneSymbol()
    {
        using var cache = new TempDirectory();
        var compiled = ModelCompiler.Compile(CompilerDriver.Elaborate(Source), CpuTarget.Host, Options(cache.Path));
        using var kernels = compiled.Kernels;
        var symbols = compiled.Manifest.Kernels.Select(k => k.Symbol).ToList();
        Assert.Equal(symbols.Count, compiled.Statistics.Kernels);
        Assert.Equal(symbols.Distinct().Count(), compiled.Statistics.Unique);
        Assert.True(compiled.Statistics.Unique < compiled.Statistics.Kernels, compiled.Statistics.ToString());
        Assert.All(symbols, s => Assert.StartsWith("mc_", s, StringComparison.Ordinal));
        Assert.Equal(compiled.Statistics.Unique + compiled.Statistics.SupportRoutines, Directory.GetFiles(cache.Path, "*.o", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void TheForwardPassAndTheTrainStepShareTheirCommonKernels()
    {
        using var cache = new TempDirectory();
        var inference = CompilerDriver.Elaborate(Source);
        var training = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training);
        var both = ModelCompiler.CompileAll([inference, training], CpuTarget.Host, Options(cache.Path, CodeForm.Library));
        var forward = both[0].Manifest.Kernels.Select(k => k.Symbol).ToHashSet();
        var step = both[1].Manifest.Kernels.Select(k => k.Symbol).ToHashSet();
        Assert.NotEmpty(forward.Intersect(step));
        Assert.Equal(forward.Union(step).Count(), both[0].Statistics.Unique);
        Assert.Same(both[0].Statistics, both[1].Statistics);
        Assert.NotNull(both[1].Manifest.Training);
        Assert.Equal(ModelManifest.CurrentFormatVersion, both[0].Manifest.FormatVersion);
        Assert.Equal(DeviceKind.Cpu, both[0].Manifest.Device);
        Assert.All(both, p => Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F'], p.Library[..4]));
    }

    [Fact]
    public void AWarmCacheCompilesNothingAndGivesTheSameBits()
    {
        using var cache = new TempDirectory();
        var model = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training);
        var (cold, coldResult) = TrainOnce(model, cache.Path);
        var (warm, warmResult) = TrainOnce(model, cache.Path);
        Assert.Equal(0, cold.FromCache);
        Assert.Equal(cold.Unique, cold.Compiled);
        Assert.Equal(warm.Unique, warm.FromCache);
        Assert.Equal(0, warm.Compiled);
        Assert.Equal(coldResult, warmResult);
    }

    [Fact]
    public void DamagedEntriesAreRecompiledAndGiveTheSameBits()
    {
        using var cache = new TempDirectory();
        var model = CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training);
        var (_, expected) = TrainOnce(model, cache.Path);
        var entries = Directory.GetFiles(cache.Path, "*.o", SearchOption.AllDirectories);
        foreach (var entry in entries)
        {
            var bytes = File.ReadAllBytes(entry);
            File.WriteAllBytes(entry, bytes[..(bytes.Length / 2)]);
        }
        var (again, result) = TrainOnce(model, cache.Path);
        Assert.Equal(0, again.FromCache);
        Assert.Equal(entries.Length, again.Compiled + again.SupportRoutines);
        Assert.Equal(expected, result);
        Assert.Equal(again.Compiled, TrainOnce(model, cache.Path).Statistics.FromCache);
    }

    [Fact]
    public void AWarmBuildTakesItsLibrariesFromTheCacheWithoutCompilingOrLinking()
    {
        using var cache = new TempDirectory();
        ElaboratedModel[] models = [CompilerDriver.Elaborate(Source), CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training)];
        var cold = new CountingTarget();
        var first = ModelCompiler.CompileAll(models, cold, Options(cache.Path, CodeForm.Library));
        Assert.Equal(2, cold.Links);
        Assert.Equal(first[0].Statistics.Unique + first[0].Statistics.SupportRoutines, cold.Compiled);

        var warm = new CountingTarget();
        var second = ModelCompiler.CompileAll(models, warm, Options(cache.Path, CodeForm.Library));
        Assert.Equal(0, warm.Links + warm.Compiled);
        Assert.Equal(second[0].Statistics.Unique, second[0].Statistics.FromCache);
        Assert.Equal(first.Select(p => p.Library), second.Select(p => p.Library));

        // A damaged library is linked again from the cached objects.
        var library = Directory.GetFiles(cache.Path, "*.so", SearchOption.AllDirectories)[0];
        File.WriteAllBytes(library, File.ReadAllBytes(library)[..100]);
        var repaired = new CountingTarget();
        var third = ModelCompiler.CompileAll(models, repaired, Options(cache.Path, CodeForm.Library));
        Assert.Equal((1, 0), (repaired.Links, repaired.Compiled));
        Assert.Equal(first.Select(p => p.Library), third.Select(p => p.Library));
    }

    [Fact]
    public void ParallelWorkersGiveTheObjectsOneWorkerGives()
    {
        var step = ModelCompiler.SourceOf(CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training));
        var program = ProgramBuilder.Build(step.Graph);
        var identity = CodeGeneratorIdentity.Of(CpuTarget.Host);
        var jobs = program.Kernels
            .Select(k => new KernelJob(KernelFingerprint.Of(k, program.Symbols, identity), k, program.Symbols))
            .DistinctBy(j => j.Key)
            .Select(j => j with { Kernel = j.Kernel with { Symbol = j.Key.Symbol } })
            .ToList();
        var serial = KernelBatch.Compile(jobs, CpuTarget.Host, cache: null, parallelism: 1).Objects;
        var parallel = KernelBatch.Compile(jobs, CpuTarget.Host, cache: null, parallelism: 4).Objects;
        Assert.Equal(jobs.Count, serial.Count);
        Assert.All(jobs, j => Assert.Equal(serial[j.Key].Code, parallel[j.Key].Code));
    }

    [Fact]
    public void ProgressCountsEveryDistinctKernelAndSupportRoutineOnce()
    {
        using var cache = new TempDirectory();
        var reports = new System.Collections.Concurrent.ConcurrentBag<CompileProgress>();
        var options = Options(cache.Path) with { Progress = new Collector(reports), Parallelism = 3 };
        var compiled = ModelCompiler.Compile(CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training), CpuTarget.Host, options);
        compiled.Kernels.Dispose();
        var unique = compiled.Statistics.Unique + compiled.Statistics.SupportRoutines;
        Assert.Equal(Enumerable.Range(1, unique), reports.Select(r => r.Done).Order());
        Assert.All(reports, r => Assert.Equal(unique, r.Total));
    }

    [Fact]
    public void AKernelThatFailsToCompileIsReportedAsItself()
    {
        var good = TestKernels.Map();
        var bad = TestKernels.Map(output: 3, kind: (BinaryKind)99, constant: 5);
        KernelJob Job(MapKernel kernel, string key) => new(new KernelKey(new string(key[0], 64)), kernel with { Symbol = "mc_" + key }, []);
        var error = Assert.Throws<InvalidOperationException>(() =>
            KernelBatch.Compile([Job(good, "a"), Job(bad, "b"), Job(good with { Description = "x" }, "c")], CpuTarget.Host, cache: null, parallelism: 2));
        Assert.Contains("BinaryKind 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheManifestAloneCompilesNothing()
    {
        using var cache = new TempDirectory();
        var compiled = ModelCompiler.Compile(CompilerDriver.Elaborate(Source), CpuTarget.Host, Options(cache.Path, CodeForm.ManifestOnly));
        Assert.NotEmpty(compiled.Manifest.Kernels);
        Assert.Equal(0, compiled.Statistics.Compiled);
        Assert.Equal(0, compiled.Statistics.FromCache);
        Assert.Throws<InvalidOperationException>(() => compiled.Kernels);
        Assert.Throws<InvalidOperationException>(() => compiled.Library);
        Assert.Empty(Directory.GetFileSystemEntries(cache.Path));
    }

    // One train step from seeded parameters and inputs: the statistics and every tensor's bits.
    private static (CompileStatistics Statistics, int[] Bits) TrainOnce(ElaboratedModel model, string cache)
    {
        var compiled = ModelCompiler.Compile(model, CpuTarget.Host, Options(cache));
        using var instance = new ModelInstance(compiled.Manifest, compiled.Kernels, new Dictionary<string, int> { ["B"] = 3 }, new ModelOptions(2, Seed: 5), ownsKernels: true);
        var x = instance.Floats("x");
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Sin(i);
        }
        instance.Ints("y").Fill(2);
        instance.Floats("optimizer.lr")[0] = 0.01f;
        instance.Run();
        return (compiled.Statistics, [.. compiled.Manifest.Tensors
            .Where(t => compiled.Manifest.Buffers[t.Buffer].Type == ElementType.F32)
            .SelectMany(t => instance.Floats(t.Name).ToArray())
            .Select(BitConverter.SingleToInt32Bits)]);
    }

    private sealed class Collector(System.Collections.Concurrent.ConcurrentBag<CompileProgress> reports) : IProgress<CompileProgress>
    {
        public void Report(CompileProgress value) => reports.Add(value);
    }
}
