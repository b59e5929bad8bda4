using System.CommandLine;
using System.Diagnostics;
using System.CommandLine.Invocation;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Cli.Building;
using ModelC.Cli.Profiling;
using ModelC.Compiler.Passes.Optimizers;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.DotNet;
using ModelC.Gpu;
using ModelC.Llvm;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Commands;

/// <summary>
/// <c>modelc build</c>: per model, native kernels in a shared library plus a manifest (with
/// <c>--device</c>, GPU kernels beside them); and per
/// file, a .NET assembly with a typed class per model, or the C# and bundle that MSBuild compiles.
/// The native and assembly outputs replace the output folder as a unit (<see cref="StagedOutputFolder"/>),
/// once every model built. A build whose inputs are all unchanged since it last ran writes the
/// outputs it wrote then, from the <see cref="BuildCache"/>, without compiling.
/// </summary>
internal static class BuildCommand
{
    public static Command Create(TextWriter console, TextWriter error)
    {
        // What each invocation prints and writes, kept for the build cache; `output` and `errors` print through it.
        var recorder = new BuildRecorder(console, error);
        var output = recorder.Output;
        var errors = recorder.Error;
        var outputDirectory = new Option<DirectoryInfo>("--output", "-o") { Description = "The directory to write to.", Required = true };
        var emit = new Option<string>("--emit")
        {
            Description = "What to write: 'native' (lib<Model>.so and <Model>.manifest.json per model), 'assembly' (those and <File>.dll, a .NET class per model " +
                "with its forward pass and train step, plus its XML docs and ModelC.Runtime.dll) or 'source' (<file>.g.cs and <file>.modelc, for a project to compile and embed).",
            DefaultValueFactory = _ => "assembly",
        };
        emit.AcceptOnlyFromAmong("native", "assembly", "source");
        EmitKind Emit(ParseResult parse) => Enum.Parse<EmitKind>(parse.GetValue(emit)!, ignoreCase: true);
        var ns = new Option<string>("--namespace") { Description = "The namespace of the generated classes.", DefaultValueFactory = _ => "ModelC.Models" };
        var visibility = new Option<string>("--visibility")
        {
            Description = "The accessibility of the generated classes: 'public', or 'internal' to keep them inside the assembly that compiles them (with --emit source).",
            DefaultValueFactory = _ => "public",
        };
        visibility.AcceptOnlyFromAmong("public", "internal");
        var device = DeviceOption.ForBuild();
        var deps = new Option<FileInfo?>("--deps") { Description = "Also write every source file read (the file and its imports) to this file, on one line separated by ';'." };
        var target = new CpuOptions();
        var timings = CommonOptions.Timings();
        // The session of the invocation, whose timings --timings prints once every model compiled.
        CompilerSession? timed = null;
        // Read once per invocation, before any model compiles: the portable target, then the variants built beside it.
        IReadOnlyList<CpuTarget> cpus = [];
        // The models of one invocation, collected for the per-file .NET output.
        (ParseResult Parse, DotNetOutput Output)? dotNet = null;
        // The new version of the output folder that the native and assembly outputs go into, published once every model built.
        StagedOutputFolder? staged = null;
        // Where a file written into the new version is seen once it is published.
        string Published(ParseResult parse, string written) => Path.Combine(parse.GetValue(outputDirectory)!.FullName, Path.GetFileName(written));

        var command = ModelCommand.Create("build",
            "Compile models to native code, loadable without LLVM. With --mode train, a model with a loss compiles to its train step (forward, backward and optimizer update in one run); " +
            "the .NET class always has the forward pass, and the train step when the model has a loss.", errors,
            [outputDirectory, emit, ns, visibility, deps, device, timings, .. target.All],
            (parse, session, model) =>
            {
                var kind = Emit(parse);
                try
                {
                    // The program asked for and, for .NET, the forward pass and the train step: one
                    // batch, so that their common kernels compile once and all compile at once.
                    var inference = kind == EmitKind.Native ? model : ModelIn(model, ExecutionMode.Inference, session);
                    var training = kind == EmitKind.Native || !model.Symbol.HasLoss ? model : ModelIn(model, ExecutionMode.Training, session);
                    if (inference is null || training is null)
                    {
                        return ExitCodes.Diagnostics;
                    }
                    List<ElaboratedModel> programs = [.. new[] { model, inference, training }.DistinctBy(m => m, ReferenceEqualityComparer.Instance)];
                    timed = parse.GetValue(timings) ? session : null;
                    var (statistics, compiled) = CompileForEach(cpus, programs, CompileProgressLine.On(error, model.Name), timed?.Timings);
                    recorder.WriteSummary($"{model.Name}: compiled {Describe(programs)}{ForCpus(cpus)}: ", statistics);
                    if (DeviceOption.WantsGpu(parse.GetValue(device)))
                    {
                        // Every program's GPU build: the native folder's NAME.kernels.dll, and the .NET bundle's for each program.
                        var gpu = ModelCompiler.CompileAll(programs, GpuTarget.Instance, new CompileOptions { Code = CodeForm.Library });
                        compiled = [.. compiled.Select((program, p) => program with { Gpu = gpu[p].ToBundle() })];
                    }
                    if (kind != EmitKind.Source)
                    {
                        staged ??= StagedOutputFolder.Begin(parse.GetValue(outputDirectory)!.FullName);
                        var library = ArtifactWriter.Write(model.Name, compiled[0], staged.Path, compiled[0].Gpu);
                        recorder.Staged(ArtifactWriter.FilesOf(model.Name, compiled[0], staged.Path, compiled[0].Gpu is not null));
                        output.WriteLine($"{model.Name}: {compiled[0].Manifest.Kernels.Length} kernels -> {Published(parse, library)}");
                        if (compiled[0].Gpu is { } gpu)
                        {
                            output.WriteLine($"{model.Name}: {gpu.Manifest.Kernels.Length} GPU kernels -> {Published(parse, ModelArtifact.GpuKernelsPath(staged.Path, model.Name))}");
                        }
                    }
                    if (kind == EmitKind.Native)
                    {
                        return ExitCodes.Ok;
                    }
                    if (dotNet?.Parse != parse)
                    {
                        dotNet = (parse, new DotNetOutput(parse.GetValue<FileInfo>("file")!.FullName, parse.GetValue(ns)!,
                            Enum.Parse<ClassVisibility>(parse.GetValue(visibility)!, ignoreCase: true)));
                    }
                    var bundle = new BundledModel(model.Name, compiled[programs.IndexOf(inference)],
                        model.Symbol.HasLoss ? compiled[programs.IndexOf(training)] : null);
                    dotNet.Value.Output.Add(new ModelBinding(bundle, model.Symbol.Documentation));
                    return ExitCodes.Ok;
                }
                catch (Exception e) when (e is LlvmException or InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    errors.WriteLine($"modelc: error: {model.Name}: {e.Message}");
                    return ExitCodes.Diagnostics;
                }
            },
            defaultMode: "infer",
            finish: (parse, session) =>
            {
                try
                {
                    var directory = parse.GetValue(outputDirectory)!.FullName;
                    if (parse.GetValue(deps) is { } depsFile)
                    {
                        DotNetOutput.WriteDependencies(depsFile.FullName, session.Compilation);
                        recorder.Wrote([depsFile.FullName]);
                    }
                    if (dotNet is { } pending && pending.Parse == parse)
                    {
                        string written;
                        if (Emit(parse) == EmitKind.Source)
                        {
                            var files = pending.Output.WriteSource(directory);
                            recorder.Wrote(files);
                            written = string.Join(", ", files);
                        }
                        else
                        {
                            var files = pending.Output.WriteAssembly(staged!.Path);
                            recorder.Staged(files);
                            written = Published(parse, files[0]);
                        }
                        output.WriteLine($"{string.Join(", ", pending.Output.Models)}: .NET -> {written}");
                    }
                    recorder.Complete(staged?.Path, session.Compilation.Modules);
                    staged?.Publish();
                    return ExitCodes.Ok;
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    errors.WriteLine($"modelc: error: {e.Message}");
                    return ExitCodes.Diagnostics;
                }
            });

        // The target and the linker (every form of output holds a linked library) are checked before compiling.
        var compileAll = (SynchronousCommandLineAction)command.Action!;
        command.SetAction(parse =>
        {
            if (target.Read(parse, error) is not { } targets)
            {
                return ExitCodes.Usage;
            }
            cpus = targets;
            try
            {
                SharedLibraryLinker.RequireDriver();
            }
            catch (InvalidOperationException e)
            {
                error.WriteLine($"modelc: error: {e.Message}");
                return ExitCodes.Usage;
            }
            var clock = Stopwatch.StartNew();
            var cache = BuildCache.Default;
            // Timed builds compile: a replayed one has no phases to time.
            var key = cache is null || parse.GetValue(timings) ? (BuildKey?)null : BuildCache.KeyOf(parse.Tokens.Select(t => t.Value), cpus);
            try
            {
                if (key is { } hit && cache!.TryLoad(hit) is { } record)
                {
                    BuildCache.Replay(record, parse.GetValue(outputDirectory)!.FullName, console, error, clock);
                    return ExitCodes.Ok;
                }
                recorder.Start();
                timed = null;
                var result = compileAll.Invoke(parse);
                if (result == ExitCodes.Ok && timed is not null)
                {
                    CompileTimingsReport.Write(console, timed.Timings);
                }
                if (result == ExitCodes.Ok && key is { } miss && recorder.Completed is { } completed)
                {
                    cache!.Store(miss, completed);
                }
                return result;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"modelc: error: {e.Message}");
                return ExitCodes.Diagnostics;
            }
            finally
            {
                // Unpublished (a model failed): the folder stays as it was.
                staged?.Dispose();
                staged = null;
            }
        });
        return command;
    }

    // Compiles the programs for each target at once (the serial stages of one overlap the other's
    // kernels); per program, the first target's build with the others' as its variants, and the
    // statistics (and timings) of the first target's compile.
    private static (CompileStatistics Statistics, BundledProgram[] Programs) CompileForEach(
        IReadOnlyList<CpuTarget> targets, IReadOnlyList<ElaboratedModel> programs, IProgress<CompileProgress>? progress, CompileTimings? timings)
    {
        var builds = Task.WhenAll(targets.Select((target, t) => Task.Run(() => ModelCompiler.CompileAll(programs, target,
            new CompileOptions { Code = CodeForm.Library, Progress = t == 0 ? progress : null, Timings = t == 0 ? timings : null })))).GetAwaiter().GetResult();
        return (builds[0][0].Statistics, [.. programs.Select((_, p) => builds[0][p].ToBundle() with
        {
            Variants = [.. targets.Skip(1).Select((target, t) => new BundledVariant(target.ResolvedCpu, builds[t + 1][p].ToBundle()))],
        })]);
    }

    private static string ForCpus(IReadOnlyList<CpuTarget> targets) =>
        targets.Count == 1 ? "" : $" for {string.Join(" and ", targets.Select(t => t.ResolvedCpu))}";

    // The model in another mode: the one given when the mode matches.
    private static ElaboratedModel? ModelIn(ElaboratedModel model, ExecutionMode mode, CompilerSession session) =>
        model.Mode == mode ? model : session.Elaborate(model.Symbol, mode);

    private static string Describe(IEnumerable<ElaboratedModel> programs) =>
        string.Join(" and ", programs.Select(p => p.Mode switch
        {
            ExecutionMode.Inference => "the forward pass",
            ExecutionMode.Training => p.Symbol.HasLoss ? "the train step" : "the forward pass in training mode",
            ExecutionMode.Evaluation => "the evaluation pass",
            _ => throw new InvalidOperationException($"no description of mode {p.Mode}"),
        }));
}
