using System.CommandLine;
using System.CommandLine.Invocation;
using System.Diagnostics;
using ModelC.Backend.Driver;
using ModelC.Cli.Building;
using ModelC.Cli.Profiling;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Gpu.Runtime;
using ModelC.Llvm;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Packaging;

namespace ModelC.Cli.Commands;

/// <summary>
/// <c>modelc run</c>: a forward pass, or with <c>--mode train</c> a whole train step, on random
/// inputs, with the outputs and the times (and each kernel's with <c>--profile</c>). Given a
/// <c>.mdl</c> file it compiles in process (JIT); given a directory from <c>modelc build</c> it
/// loads the shared library with the runtime alone, and LLVM is never loaded; with <c>--device</c>,
/// the GPU kernels <c>modelc build --device</c> wrote beside it.
/// </summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var batch = new Option<int>("--batch", "-b") { Description = "The value of every symbolic (batch) dimension.", DefaultValueFactory = _ => 1 };
        var threads = CommonOptions.Threads();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the parameters and the random inputs.", DefaultValueFactory = _ => 0 };
        var repeat = new Option<int>("--repeat", "-r") { Description = "Timed runs after one warm-up run.", DefaultValueFactory = _ => 10 };
        var profile = new Option<bool>("--profile") { Description = "After the runs, print the time of each kernel with its origin in the source, and the time per op and per layer." };
        var profileCpu = new Option<bool>("--profile-cpu") { Description = "With --profile, time by the running thread's CPU time instead of the wall clock (needs --threads 1): the figure to trust on a busy machine." };
        var profileAll = CommonOptions.ProfileAll();
        var save = new Option<FileInfo?>("--save-tensors") { Description = "Write the inputs and outputs of the last run to this safetensors file (needs --model when there are several models)." };
        var weights = new Option<FileInfo?>("--weights", "-w") { Description = "Load the parameters and states from this safetensors checkpoint (a PyTorch state_dict saved with safetensors)." };
        var rename = new Option<string[]>("--rename") { Description = "Rename checkpoint tensors to the model's names: from=to, 'prefix.=prefix.', or @file of such lines. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var inputs = new Option<FileInfo?>("--inputs", "-i") { Description = "Take the inputs from this .npz (numpy.savez) or safetensors file, by name; inputs it lacks stay random." };
        var device = DeviceOption.Create();
        var timings = CommonOptions.Timings();
        Dictionary<string, int> Symbols(ParseResult parse, IEnumerable<string> names) => names.ToDictionary(s => s, _ => parse.GetValue(batch));
        var compileOptions = new CompilerSession.Options("infer");
        // The session of the invocation, whose timings --timings prints once every model compiled and ran.
        CompilerSession? timed = null;

        var command = ModelCommand.Create("run", "Run a forward pass (with --mode train: a train step) on random inputs (from a .mdl file, or a directory from 'modelc build') and time it.", error,
            [batch, threads, seed, repeat, profile, profileCpu, profileAll, save, weights, rename, inputs, device, timings],
            (parse, session, model) => CompileAndRun(parse, session, model, null), compileOptions);

        // A directory holds built models: run them with the runtime only.
        var compileAndRun = (SynchronousCommandLineAction)command.Action!;
        command.SetAction(parse =>
        {
            if (OptionProblem(parse) is { } problem)
            {
                return problem;
            }
            var path = parse.GetValue(compileOptions.File)!.FullName;
            if (!Directory.Exists(path))
            {
                // A timed run compiles: a program loaded from the cache has no phases to time.
                var clock = Stopwatch.StartNew();
                if (!parse.GetValue(timings)
                    && RecordingRun.TryCompileOrLoad("run", parse, compileOptions, parse.GetValue(device), error, CompileAndRun, programs => Load(programs, clock, parse)) is { } cached)
                {
                    return cached;
                }
                timed = null;
                var result = compileAndRun.Invoke(parse);
                if (timed is not null)
                {
                    CompileTimingsReport.Write(output, timed.Timings);
                }
                return result;
            }
            if (parse.GetValue(timings))
            {
                error.WriteLine($"modelc: error: --timings times a compile, and nothing is compiled: '{path}' holds built models");
                return ExitCodes.Usage;
            }
            ExecutionDevice execution;
            try
            {
                execution = DeviceOption.Open(parse.GetValue(device));
            }
            catch (GpuUnavailableException e)
            {
                error.WriteLine($"modelc: error: {e.Message}");
                return ExitCodes.Diagnostics;
            }
            using var _ = execution;
            var only = parse.GetValue(compileOptions.Model);
            var models = only is null ? ModelArtifact.ModelsIn(path) : [only];
            if (models.Count == 0)
            {
                error.WriteLine($"modelc: error: '{path}' holds no built models (no *.manifest.json)");
                return ExitCodes.Usage;
            }
            if (parse.GetValue(save) is not null && models.Count > 1)
            {
                return OneModelForSavedTensors(error);
            }
            foreach (var name in models)
            {
                try
                {
                    (ModelManifest Manifest, IKernelLibrary Kernels) loaded = execution.Devices is null ? ModelArtifact.Load(path, name) : GpuModelArtifact.Load(path, name);
                    var (manifest, kernels) = loaded;
                    var file = execution.Devices is null ? ModelArtifact.LibraryPath(path, name) : ModelArtifact.GpuKernelsPath(path, name);
                    var symbols = Symbols(parse, manifest.Symbols);
                    InstanceMemory.Check(manifest, symbols);
                    using var instance = new ModelInstance(manifest, kernels, symbols, execution.Options(CommonOptions.ThreadsOf(parse.GetValue(threads)), parse.GetValue(seed)), ownsKernels: true);
                    output.WriteLine($"{name}: loaded {manifest.Kernels.Length} kernels{(manifest.Training is null ? "" : " of the train step")} from {file} ({manifest.Target}) on {execution.Description}");
                    Execute(instance, parse, output);
                }
                catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
                {
                    error.WriteLine($"modelc: error: {e.Message}");
                    return ExitCodes.Usage;
                }
            }
            return ExitCodes.Ok;
        });
        return command;

        // Compiles the model and runs it; with a recording, as a linked library kept in it (as the next run loads it), else loaded in process.
        int CompileAndRun(ParseResult parse, CompilerSession session, ElaboratedModel model, RecordingRun? recording)
        {
            if (parse.GetValue(save) is not null && session.SelectModels() is { Length: > 1 } models)
            {
                // Said once, for the first model.
                return models[0] == model.Symbol ? OneModelForSavedTensors(error) : ExitCodes.Usage;
            }
            try
            {
                using var execution = DeviceOption.Open(parse.GetValue(device));
                var compiled = ModelCompiler.Compile(model, execution.Target, new CompileOptions
                {
                    Code = recording is null ? CodeForm.InProcess : CodeForm.Library,
                    Progress = CompileProgressLine.On(error, model.Name),
                    Timings = parse.GetValue(timings) ? session.Timings : null,
                });
                if (parse.GetValue(timings))
                {
                    timed = session;
                }
                var program = new CachedProgram($"{model.Graph.Name}: compiled {(compiled.Manifest.Training is null ? "" : "the train step: ")}", compiled.Statistics,
                    compiled.Form == CodeForm.Library ? compiled.ToBundle() : new BundledProgram(compiled.Manifest, []));
                recording?.Add([program]);
                return Run(program, compiled.Form == CodeForm.Library ? ProgramCache.Load(program.Program) : compiled.Kernels, execution, parse);
            }
            catch (Exception e) when (e is LlvmException or ArgumentException or InvalidOperationException or InvalidDataException or IOException or UnauthorizedAccessException or GpuUnavailableException)
            {
                error.WriteLine($"modelc: error: {model.Graph.Name}: {e.Message}");
                return ExitCodes.Diagnostics;
            }
        }

        // Runs the programs a cached run compiled, each summary saying they took the time since the command began.
        int Load(IReadOnlyList<CachedProgram> programs, Stopwatch clock, ParseResult parse)
        {
            using var cpu = DeviceOption.Open(parse.GetValue(device));
            if (parse.GetValue(save) is not null && programs.Count > 1)
            {
                return OneModelForSavedTensors(error);
            }
            var worst = ExitCodes.Ok;
            foreach (var program in programs)
            {
                try
                {
                    worst = Math.Max(worst, Run(program with { Statistics = program.Statistics with { Elapsed = clock.Elapsed } }, ProgramCache.Load(program.Program), cpu, parse));
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"modelc: error: {program.Name}: {e.Message}");
                    worst = Math.Max(worst, ExitCodes.Diagnostics);
                }
            }
            return worst;
        }

        // Prints the program's compile summary, then runs it with its kernels (which the instance then owns).
        int Run(CachedProgram program, IKernelLibrary kernels, ExecutionDevice execution, ParseResult parse)
        {
            using var owned = kernels;
            var manifest = program.Program.Manifest;
            var symbols = Symbols(parse, manifest.Symbols);
            InstanceMemory.Check(manifest, symbols);
            using var instance = new ModelInstance(manifest, kernels, symbols, execution.Options(CommonOptions.ThreadsOf(parse.GetValue(threads)), parse.GetValue(seed)), ownsKernels: false);
            output.WriteLine(program.Summary + program.Statistics);
            return Execute(instance, parse, output);
        }

        static int OneModelForSavedTensors(TextWriter error)
        {
            error.WriteLine("modelc: error: --save-tensors writes one model's tensors; choose it with --model");
            return ExitCodes.Usage;
        }

        // Options that contradict each other or the model's needs, refused before any compiling.
        int? OptionProblem(ParseResult parse)
        {
            var problem = parse.GetValue(batch) is var size and < 1 ? $"--batch must be at least 1, got {size}"
                : parse.GetValue(profile) && parse.GetValue(repeat) < 1 ? "--profile times the runs after the warm-up: give --repeat at least 1"
                : parse.GetValue(profileCpu) && !parse.GetValue(profile) ? "--profile-cpu chooses the clock of --profile: give --profile too"
                : parse.GetValue(profileAll) && !parse.GetValue(profile) ? CommonOptions.ProfileAllNeedsProfile
                : parse.GetValue(profileCpu) && CommonOptions.ThreadsOf(parse.GetValue(threads)) != 1 ? "--profile-cpu measures the thread that runs the model: give --threads 1"
                : null;
            if (problem is null)
            {
                return null;
            }
            error.WriteLine($"modelc: error: {problem}");
            return ExitCodes.Usage;
        }

        int Execute(ModelInstance instance, ParseResult parse, TextWriter output)
        {
            ModelExecution.FillInputs(instance, parse.GetValue(seed));
            if (WeightRenames.Parse(parse.GetValue(rename) ?? [], out var problem) is not { } renames)
            {
                error.WriteLine($"modelc: error: {problem}");
                return ExitCodes.Usage;
            }
            try
            {
                if (parse.GetValue(weights) is { } checkpoint)
                {
                    ModelExecution.LoadWeights(instance, checkpoint.FullName, renames);
                }
                if (parse.GetValue(inputs) is { } values)
                {
                    ModelExecution.LoadInputs(instance, values.FullName);
                }
            }
            catch (Exception e) when (e is CheckpointFormatException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"modelc: error: {e.Message}");
                return ExitCodes.Usage;
            }
            ModelExecution.RunAndReport(instance, Math.Max(0, parse.GetValue(repeat)), output, parse.GetValue(profile), parse.GetValue(profileCpu), parse.GetValue(profileAll));
            if (parse.GetValue(save) is { } file)
            {
                ModelExecution.SaveTensors(instance, file.FullName);
            }
            return ExitCodes.Ok;
        }
    }
}
