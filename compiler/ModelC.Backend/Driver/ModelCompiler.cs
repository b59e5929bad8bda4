using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Backend.Targets;
using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Passes.Optimizers;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Driver;

/// <summary>
/// The compiler's one entry point from IR to code; every front door calls it (<c>modelc
/// run</c>, <c>build</c> and <c>train</c>, the .NET binding, the tests). A program goes through
/// the graph stage (<see cref="SourceOf"/>), lowering to kernels (<see cref="ProgramBuilder"/>),
/// a content hash per kernel (<see cref="KernelFingerprint"/>; kernel symbols derive from it),
/// then every distinct kernel of the programs compiled together, and every support routine
/// (<see cref="SupportRoutine"/>) they call, is taken from the <see cref="CompileCache"/> or
/// compiled, in parallel (<see cref="KernelBatch"/>), and each program's objects are loaded in
/// process or linked into a library by the <see cref="ICompileTarget"/>, with its manifest
/// (<see cref="ManifestBuilder"/>).
/// </summary>
public static class ModelCompiler
{
    /// <summary>Compiles <paramref name="model"/>: its train step when elaborated for training with a loss, else its graph.</summary>
    /// <exception cref="Llvm.LlvmException">The target's code generator failed.</exception>
    /// <exception cref="InvalidOperationException">Linking failed, or the code cannot be loaded.</exception>
    public static CompiledProgram Compile(ElaboratedModel model, ICompileTarget target, CompileOptions? options = null) =>
        CompileAll([GraphStage(model, options?.Timings)], target, options)[0];

    /// <summary>Compiles <paramref name="graph"/> as it is (tests, evaluation graphs).</summary>
    /// <exception cref="Llvm.LlvmException">The target's code generator failed.</exception>
    /// <exception cref="InvalidOperationException">Linking failed, or the code cannot be loaded.</exception>
    public static CompiledProgram Compile(Graph graph, ICompileTarget target, CompileOptions? options = null) =>
        CompileAll([new ProgramSource(graph)], target, options)[0];

    /// <summary>Compiles several models together (a model's forward pass and train step): their kernels are one batch, each distinct kernel compiled once.</summary>
    /// <exception cref="Llvm.LlvmException">The target's code generator failed.</exception>
    /// <exception cref="InvalidOperationException">Linking failed, or the code cannot be loaded.</exception>
    public static IReadOnlyList<CompiledProgram> CompileAll(IReadOnlyList<ElaboratedModel> models, ICompileTarget target, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        return CompileAll([.. models.Select(m => GraphStage(m, options?.Timings))], target, options);
    }

    /// <summary>Compiles several programs together; the results are in the order of <paramref name="sources"/>.</summary>
    /// <exception cref="Llvm.LlvmException">The target's code generator failed.</exception>
    /// <exception cref="InvalidOperationException">Linking failed, or the code cannot be loaded.</exception>
    public static IReadOnlyList<CompiledProgram> CompileAll(IReadOnlyList<ProgramSource> sources, ICompileTarget target, CompileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new CompileOptions();
        var clock = Stopwatch.StartNew();
        var identity = CodeGeneratorIdentity.Of(target);
        var timings = options.Timings;
        var programs = sources.Select(s => ProgramBuilder.Build(s.Graph, target, timings))
            .Select(p => CompileTimings.Time(timings, CompilePhase.KernelKeys, () => Keyed(p, identity))).ToArray();
        var manifests = programs.Select((p, i) => CompileTimings.Time(timings, CompilePhase.Manifest, () => ManifestBuilder.Build(p.Program, target, sources[i].Training))).ToArray();
        var unique = programs.SelectMany(p => p.Keys).Distinct().Count();
        var code = new (IKernelLibrary? Kernels, byte[]? Library)[programs.Length];
        var compiled = 0;
        var supportRoutines = 0;
        if (options.Code != CodeForm.ManifestOnly)
        {
            // A library linked before needs neither its objects nor the linker; it carries its manifest's hash, so that is part of its key.
            var hashes = manifests.Select(ManifestHash.Of).ToArray();
            var libraries = programs.Select((p, i) => LibraryKey.Of(p.Keys.Distinct(), hashes[i])).ToArray();
            for (var i = 0; i < programs.Length && options.Code == CodeForm.Library; i++)
            {
                code[i] = (null, options.Cache?.TryRead(libraries[i]));
            }
            // The support routines each program's kernels call, compiled and cached like kernels.
            var support = programs.Select(p => p.Program.Kernels.SelectMany(target.SupportOf).Distinct()
                .Select(r => new SupportJob(SupportFingerprint.Of(r, identity), r)).ToArray()).ToArray();
            supportRoutines = support.SelectMany(s => s).DistinctBy(s => s.Key).Count();
            var jobs = programs
                .Select((p, i) => (Program: p, Support: support[i]))
                .Where((_, i) => code[i].Library is null)
                .SelectMany(p => p.Support.Concat<ObjectJob>(p.Program.Program.Kernels.Select((k, i) => new KernelJob(p.Program.Keys[i], k, p.Program.Program.Symbols))))
                .DistinctBy(j => j.Key)
                .ToArray();
            var (objects, fromCache) = KernelBatch.Compile(jobs, target, options.Cache, options.Parallelism, options.Progress, timings);
            compiled = jobs.OfType<KernelJob>().Count(j => !fromCache.Contains(j.Key));
            Produce(programs, support, code, objects, libraries, hashes, target, options);
        }
        var statistics = new CompileStatistics(programs.Sum(p => p.Keys.Length), unique, compiled, options.Code == CodeForm.ManifestOnly ? 0 : unique - compiled, clock.Elapsed)
        {
            SupportRoutines = supportRoutines,
        };
        return [.. manifests.Select((m, i) => new CompiledProgram(m, options.Code, code[i].Kernels, code[i].Library, statistics))];
    }

    // Each program's code from its objects: loaded, or linked with its manifest's hash (and cached) unless the cache had it.
    private static void Produce(
        (KernelProgram Program, ImmutableArray<KernelKey> Keys)[] programs, SupportJob[][] support, (IKernelLibrary? Kernels, byte[]? Library)[] code,
        Dictionary<KernelKey, KernelObject> objects, LibraryKey[] libraries, byte[][] manifestHashes, ICompileTarget target, CompileOptions options)
    {
        try
        {
            // Linking runs a process per program: the forward pass and the train step link at once.
            Parallel.For(0, programs.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i =>
            {
                KernelObject[] Own() => [.. programs[i].Keys.Distinct().Concat(support[i].Select(s => s.Key)).Select(k => objects[k])];
                switch (options.Code)
                {
                    case CodeForm.InProcess:
                        code[i] = (CompileTimings.Time(options.Timings, CompilePhase.Load, () => target.Load(Own())), null);
                        break;
                    case CodeForm.Library when code[i].Library is null:
                        var library = CompileTimings.Time(options.Timings, CompilePhase.Link, () => target.Link(Own(), manifestHashes[i]));
                        options.Cache?.Write(libraries[i], library);
                        code[i] = (null, library);
                        break;
                    case CodeForm.Library:
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(options), $"no code to produce for {options.Code}");
                }
            });
        }
        catch (AggregateException e)
        {
            foreach (var (kernels, _) in code)
            {
                kernels?.Dispose();
            }
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>
    /// The graph stage: what <paramref name="model"/> compiles to, made by the pass pipeline
    /// (<see cref="GraphPipeline"/>) — its train step when elaborated for training with a loss
    /// (the optimizer's update included), else its cleaned-up graph.
    /// </summary>
    public static ProgramSource SourceOf(ElaboratedModel model) => GraphStage(model, null);

    // The graph stage, its passes recorded in `timings` when given.
    private static ProgramSource GraphStage(ElaboratedModel model, CompileTimings? timings)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = GraphPipeline.Run(model);
        timings?.AddPipeline(result.Training is null ? "forward pass" : "train step", result.Passes);
        return new ProgramSource(result.Graph, result.Training);
    }

    /// <summary>
    /// The graph stage of data-parallel training: the train step of <paramref name="model"/>
    /// (elaborated for training, with a loss) as a gradients program and an update program
    /// (<see cref="SplitTrainStep"/>), and what the host needs to drive them.
    /// </summary>
    /// <exception cref="ArgumentException">The model was not elaborated for training or has no loss.</exception>
    public static (ProgramSource Gradients, ProgramSource Update, TrainingSpec Training) SplitSourcesOf(ElaboratedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Mode != ExecutionMode.Training || model.Graph.Loss is null)
        {
            throw new ArgumentException($"model {model.Name} has no train step to split (it has no loss, or was elaborated for inference)", nameof(model));
        }
        var split = SplitTrainStep.Build(model.Graph, OptimizerSettings.From(model.Optimizer));
        return (new ProgramSource(split.Gradients), new ProgramSource(split.Update), split.Training);
    }

    // Every kernel's key, and the kernel renamed after it: equal kernels share a symbol.
    private static (KernelProgram Program, ImmutableArray<KernelKey> Keys) Keyed(KernelProgram program, string identity)
    {
        var keys = program.Kernels.Select(k => KernelFingerprint.Of(k, program.Symbols, identity)).ToImmutableArray();
        return (program with { Kernels = [.. program.Kernels.Select((k, i) => k with { Symbol = keys[i].Symbol })] }, keys);
    }
}
