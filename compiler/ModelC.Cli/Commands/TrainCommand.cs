using System.CommandLine;
using System.Diagnostics;
using ModelC.Backend.Driver;
using ModelC.Backend.Targets;
using ModelC.Cli.Profiling;
using ModelC.Cli.Progress;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Data.Formats;
using ModelC.Gpu.Runtime;
using ModelC.Llvm;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Training;

namespace ModelC.Cli.Commands;

/// <summary>
/// <c>modelc train</c>: compiles the whole train step to native code and its evaluation program,
/// then trains on a data set with the training library (ModelC.Training), printing its progress.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var data = new Option<string>("--data") { Description = "A data file (.npz, .npy, .safetensors, .csv) with arrays named after the model's inputs, or a synthetic set: poisson, darcy, copy, reverse, sort, spirals, circles (e.g. 'poisson:n=64,bc=dirichlet').", Required = true };
        var test = new Option<string?>("--test") { Description = "A test data file, measured after training (synthetic sets make their own)." };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Epochs in all (a resumed run continues to this many).", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch", "-b") { Description = "Samples per step.", DefaultValueFactory = _ => 32 };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the parameters, synthetic data, validation split and shuffling.", DefaultValueFactory = _ => 0 };
        var rate = new Option<double?>("--lr") { Description = "Replaces the learning rate of the model's optimizer (its schedule still applies)." };
        var samples = new Option<int>("--samples") { Description = "Samples of a synthetic set, validation included.", DefaultValueFactory = _ => 1000 };
        var testSamples = new Option<int>("--test-samples") { Description = "Samples of a synthetic test set.", DefaultValueFactory = _ => 200 };
        var validation = new Option<double>("--validation") { Description = "The fraction of the data held out for validation.", DefaultValueFactory = _ => 0.1 };
        var outputDirectory = new Option<DirectoryInfo?>("--output", "-o") { Description = "Where checkpoints, metrics.json, loss.svg and the trained weights go (default: train/<Model>)." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in the output directory." };
        var threads = new Option<int>("--threads", "-t") { Description = "Threads per kernel (default: the processor count).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var minutes = new Option<double?>("--time-limit") { Description = "Stop after the epoch that passes this many minutes." };
        var profile = new Option<bool>("--profile") { Description = "At the end, print the time of each kernel of the train step with its origin in the source, and the time per op and per layer." };
        var device = DeviceOption.Create();

        return ModelCommand.Create("train", "Train a model: forward, backward and optimizer update compiled into one native step; per-epoch validation and checkpoints; final test, weights, metrics and loss curve.", error,
            [data, test, epochs, batch, seed, rate, samples, testSamples, validation, outputDirectory, resume, threads, minutes, profile, device],
            (parse, session, model) =>
            {
                if (Problem(parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(rate), parse.GetValue(samples), parse.GetValue(testSamples), parse.GetValue(validation), parse.GetValue(minutes)) is { } problem)
                {
                    error.WriteLine($"modelc: error: {problem}");
                    return ExitCodes.Usage;
                }
                if (session.Elaborate(model.Symbol, ExecutionMode.Evaluation) is not { } evaluation)
                {
                    return ExitCodes.Diagnostics;
                }
                var console = new TrainingConsole(output, error, interactive: !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error));
                var options = new TrainingOptions(parse.GetValue(epochs), parse.GetValue(outputDirectory)?.FullName ?? Path.Combine("train", model.Name))
                {
                    Seed = parse.GetValue(seed),
                    LearningRate = parse.GetValue(rate),
                    TimeLimit = parse.GetValue(minutes) is { } m ? TimeSpan.FromMinutes(m) : null,
                };
                try
                {
                    var clock = Stopwatch.StartNew();
                    using var execution = DeviceOption.Open(parse.GetValue(device));
                    var instances = execution.Options(Math.Max(1, parse.GetValue(threads)), parse.GetValue(seed));
                    var compiled = Compile(model, evaluation, parse.GetValue(batch), execution.Target, instances, error);
                    using var trainStep = compiled.TrainStep;
                    using var evaluationKernels = compiled.EvaluationKernels;
                    trainStep.Timings = parse.GetValue(profile) ? new KernelTimings(compiled.KernelCount) : null;
                    var optimizer = trainStep.Manifest.Training!.Optimizer;
                    console.Compiled(model.Name, compiled.KernelCount, clock.Elapsed, model.Graph.ParameterCount, optimizer with { LearningRate = options.LearningRate ?? optimizer.LearningRate });

                    var sets = TrainingData.Load(parse.GetValue(data)!, parse.GetValue(test), parse.GetValue(samples), parse.GetValue(testSamples), parse.GetValue(validation), parse.GetValue(seed));
                    using var training = new TrainingSession(trainStep, sets, options, new EvaluationProgram(compiled.EvaluationManifest, evaluationKernels, instances));
                    console.DataReady(training);
                    if (parse.GetValue(resume))
                    {
                        console.Resumed(Resume(training), training.History.Count);
                    }
                    console.Finished(Run(training, console), training.Data.Test?.Count ?? 0, options.TimeLimit);
                    if (trainStep.Timings is { } timings)
                    {
                        KernelProfileReport.Write(output, model.Name, trainStep.Manifest.Kernels, timings);
                    }
                    return ExitCodes.Ok;
                }
                catch (Exception e) when (e is InvalidOperationException or FormatException or DataFormatException or CheckpointFormatException
                    or IOException or UnauthorizedAccessException or LlvmException or ArgumentException or GpuUnavailableException)
                {
                    error.WriteLine($"modelc: error: {model.Name}: {e.Message}");
                    return ExitCodes.Diagnostics;
                }
            }, defaultMode: "train");
    }

    /// <summary>
    /// The compiler's part of <c>modelc train</c>: the model's train step, instantiated for the
    /// batch, and its evaluation program, compiled together (they share most kernels). Everything
    /// after this is the training library's.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no loss.</exception>
    private static (ModelInstance TrainStep, IKernelLibrary EvaluationKernels, ModelManifest EvaluationManifest, int KernelCount) Compile(
        ElaboratedModel training, ElaboratedModel evaluation, int batch, ICompileTarget target, ModelOptions options, TextWriter error)
    {
        var sources = new[] { ModelCompiler.SourceOf(training), ModelCompiler.SourceOf(evaluation) };
        if (sources[0].Training is null)
        {
            throw new InvalidOperationException($"model {training.Name} has no loss: there is nothing to train");
        }
        var compiled = ModelCompiler.CompileAll(sources, target, new CompileOptions { Progress = CompileProgressLine.On(error, training.Name) });
        var evaluationKernels = compiled[1].Kernels;
        try
        {
            var step = compiled[0];
            var symbols = step.Manifest.Symbols.ToDictionary(s => s, _ => batch);
            InstanceMemory.Check(step.Manifest, symbols);
            var trainStep = new ModelInstance(step.Manifest, step.Kernels, symbols, options, ownsKernels: true);
            return (trainStep, evaluationKernels, compiled[1].Manifest, step.Manifest.Kernels.Length);
        }
        catch
        {
            evaluationKernels.Dispose();
            throw;
        }
    }

    private static string Resume(TrainingSession training)
    {
        try
        {
            return training.Resume();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"--resume: {e.Message}", e);
        }
    }

    private static TrainingResult Run(TrainingSession training, TrainingConsole console)
    {
        try
        {
            return training.Run(console);
        }
        catch (Exception e) when (e is TrainingDivergedException or NonFiniteTensorException)
        {
            console.Interrupted();
            throw new InvalidOperationException($"{e.Message}; try a smaller --lr", e);
        }
    }

    // Longer limits mean none, and would overflow a TimeSpan near 1e10 minutes.
    private const int MinutesPerYear = 365 * 24 * 60;

    // Synthetic sets are generated in memory; ten million samples is past any experiment's need
    // and keeps every set's arrays within .NET's array limit.
    private const int MaxSyntheticSamples = 10_000_000;

    private static string? Problem(int epochs, int batch, double? rate, int samples, int testSamples, double validation, double? minutes) =>
        epochs < 1 ? $"--epochs must be at least 1, got {epochs}"
        : batch < 1 ? $"--batch must be at least 1, got {batch}"
        : rate is <= 0 or double.NaN ? $"--lr must be positive, got {rate}"
        : samples is < 1 or > MaxSyntheticSamples ? $"--samples must be between 1 and {MaxSyntheticSamples}, got {samples}"
        : testSamples is < 1 or > MaxSyntheticSamples ? $"--test-samples must be between 1 and {MaxSyntheticSamples}, got {testSamples}"
        : validation is < 0 or >= 1 or double.NaN ? $"--validation must be in [0, 1), got {validation}"
        : minutes is <= 0 or double.NaN or > MinutesPerYear ? $"--time-limit must be positive and at most a year ({MinutesPerYear} minutes), got {minutes}"
        : null;
}
