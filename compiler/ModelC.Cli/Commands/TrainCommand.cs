using System.CommandLine;
using System.CommandLine.Invocation;
using System.Diagnostics;
using ModelC.Backend.Targets;
using ModelC.Cli.Building;
using ModelC.Cli.Profiling;
using ModelC.Cli.Progress;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Data.Formats;
using ModelC.Distributed;
using ModelC.Gpu.Runtime;
using ModelC.Llvm;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
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
        var threads = CommonOptions.Threads();
        var minutes = new Option<double?>("--time-limit") { Description = "Stop after the epoch that passes this many minutes." };
        var profile = new Option<bool>("--profile") { Description = "At the end, print the time of each kernel of the train step with its origin in the source, and the time per op and per layer." };
        var profileAll = CommonOptions.ProfileAll();
        var device = DeviceOption.Create();
        var bucketBytes = new Option<long>("--bucket-bytes") { Description = "Under mpirun: the least bytes of gradients summed by one allreduce while the backward pass goes on.", DefaultValueFactory = _ => TrainingOptions.DefaultGradientBucketBytes };

        var compileOptions = new CompilerSession.Options("train");
        var command = ModelCommand.Create("train", "Train a model: forward, backward and optimizer update compiled into one native step; per-epoch validation and checkpoints; final test, weights, metrics and loss curve.", error,
            [data, test, epochs, batch, seed, rate, samples, testSamples, validation, outputDirectory, resume, threads, minutes, profile, profileAll, device, bucketBytes],
            (parse, session, model) => CompileAndTrain(parse, session, model, null), compileOptions);

        // A run of one process on the CPU that can link its programs keeps them in the program cache, and an unchanged run loads them.
        var compileAndTrain = (SynchronousCommandLineAction)command.Action!;
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            return (MpiLaunch.Detected() ? null : RecordingRun.TryCompileOrLoad("train", parse, compileOptions, parse.GetValue(device), error, CompileAndTrain, programs => LoadAndTrain(parse, programs, clock)))
                ?? compileAndTrain.Invoke(parse);
        });
        return command;

        int CompileAndTrain(ParseResult parse, CompilerSession session, ElaboratedModel model, RecordingRun? recording)
        {
            if (OptionProblem(parse) is { } code)
            {
                return code;
            }
            if (session.Elaborate(model.Symbol, ExecutionMode.Evaluation) is not { } evaluation)
            {
                return ExitCodes.Diagnostics;
            }
            return Train(parse, model.Name, Stopwatch.StartNew(), fromCache: false,
                (target, instances, progress, ranks) => TrainPrograms.Compile(model, evaluation, parse.GetValue(batch), target, instances, progress, ranks, recording));
        }

        // The programs of each model in the cache: its train step, then its evaluation, both kept under its name.
        int LoadAndTrain(ParseResult parse, IReadOnlyList<CachedProgram> programs, Stopwatch clock)
        {
            var worst = ExitCodes.Ok;
            foreach (var (model, index) in programs.Chunk(2).Select((model, index) => (model, index)))
            {
                // Only the first model's time carries the cache lookup; a later one's would otherwise include the training before it.
                var loading = index == 0 ? clock : Stopwatch.StartNew();
                worst = Math.Max(worst, OptionProblem(parse) ?? Train(parse, model[0].Summary, loading, fromCache: true, (_, instances, _, _) => TrainPrograms.Load(model, parse.GetValue(batch), instances)));
            }
            return worst;
        }

        int? OptionProblem(ParseResult parse)
        {
            var problem = parse.GetValue(profileAll) && !parse.GetValue(profile) ? CommonOptions.ProfileAllNeedsProfile
                : Problem(parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(rate), parse.GetValue(samples), parse.GetValue(testSamples), parse.GetValue(validation), parse.GetValue(minutes), parse.GetValue(bucketBytes));
            if (problem is null)
            {
                return null;
            }
            error.WriteLine($"modelc: error: {problem}");
            return ExitCodes.Usage;
        }

        // Trains the model named <name> with the programs <programs> makes, which took the time on <clock> when they came from the cache.
        int Train(ParseResult parse, string name, Stopwatch clock, bool fromCache, Func<ICompileTarget, ModelOptions, TextWriter, ICommunicator, TrainPrograms> programs)
        {
            // Under mpirun every rank runs this command; rank 0 alone shows progress and results.
            using var ranks = JoinRanks(error);
            if (ranks is null)
            {
                return ExitCodes.Diagnostics;
            }
            if (parse.GetValue(batch) % ranks.Size != 0)
            {
                error.WriteLine($"modelc: error: --batch {parse.GetValue(batch)} does not divide among {ranks.Size} MPI ranks");
                return Ended(ranks, ExitCodes.Usage);
            }
            var root = ranks.Rank == 0;
            var console = root
                ? new TrainingConsole(output, error, interactive: !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error))
                : new TrainingConsole(TextWriter.Null, TextWriter.Null, interactive: false);
            var options = new TrainingOptions(parse.GetValue(epochs), parse.GetValue(outputDirectory)?.FullName ?? Path.Combine("train", name))
            {
                Seed = parse.GetValue(seed),
                LearningRate = parse.GetValue(rate),
                TimeLimit = parse.GetValue(minutes) is { } m ? TimeSpan.FromMinutes(m) : null,
                GradientBucketBytes = parse.GetValue(bucketBytes),
            };
            try
            {
                using var execution = DeviceOption.Open(parse.GetValue(device));
                var instances = execution.Options(CommonOptions.ThreadsOf(parse.GetValue(threads)), parse.GetValue(seed));
                using var compiled = programs(execution.Target, instances, root ? error : TextWriter.Null, ranks);
                var profiled = compiled.Profiled;
                profiled.Timings = parse.GetValue(profile) ? new KernelTimings(profiled.Manifest.Kernels.Length) : null;
                var optimizer = compiled.Training.Optimizer;
                console.Compiled(name, compiled.KernelCount, clock.Elapsed, fromCache, compiled.ParameterCount, optimizer with { LearningRate = options.LearningRate ?? optimizer.LearningRate });

                var sets = TrainingData.Load(parse.GetValue(data)!, parse.GetValue(test), parse.GetValue(samples), parse.GetValue(testSamples), parse.GetValue(validation), parse.GetValue(seed));
                using var training = compiled.Session(sets, options, ranks, instances);
                console.DataReady(training);
                if (parse.GetValue(resume))
                {
                    console.Resumed(Resume(training), training.History.Count);
                }
                using var stop = new StopSignals();
                if (Run(training, console, stop.Token) is not { } result)
                {
                    return root ? Interrupted(training, stop, error) : stop.ExitCode;
                }
                console.Finished(result, training.Data.Test?.Count ?? 0, options.TimeLimit);
                if (ranks is not SingleProcess)
                {
                    console.DataParallel(ranks.Size, training.BatchSize / ranks.Size, training.GradientBucketCount, training.ReduceTime, training.ReduceWaitTime);
                }
                if (profiled.Timings is { } timings && root)
                {
                    KernelProfileReport.Write(output, name, profiled.Manifest.Kernels, timings, parse.GetValue(profileAll));
                }
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or DataFormatException or CheckpointFormatException
                or IOException or UnauthorizedAccessException or LlvmException or ArgumentException or GpuUnavailableException or InvalidDataException)
            {
                error.WriteLine($"modelc: error: {name}: {(ranks.Size > 1 ? $"rank {ranks.Rank}: " : "")}{e.Message}");
                return Ended(ranks, ExitCodes.Diagnostics);
            }
        }
    }

    private static ICommunicator? JoinRanks(TextWriter error)
    {
        try
        {
            return MpiLaunch.Join();
        }
        catch (MpiException e)
        {
            error.WriteLine($"modelc: error: launched by mpirun, but {e.Message}");
            return null;
        }
    }

    // A rank that fails ends the whole job: the others would wait for it in the next collective.
    private static int Ended(ICommunicator ranks, int exitCode)
    {
        if (ranks.Size > 1)
        {
            ranks.Abort(exitCode);
        }
        return exitCode;
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

    // Null when a signal stopped it between steps.
    private static TrainingResult? Run(TrainingSession training, TrainingConsole console, CancellationToken stop)
    {
        try
        {
            return training.Run(console, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            console.Interrupted();
            return null;
        }
        catch (Exception e) when (e is TrainingDivergedException or NonFiniteTensorException)
        {
            console.Interrupted();
            throw new InvalidOperationException($"{e.Message}; try a smaller --lr", e);
        }
    }

    // The epoch in progress is abandoned after its step: the newest checkpoint and the reports are
    // those of the last whole epoch, and the weights file holds the last step's weights.
    private static int Interrupted(TrainingSession training, StopSignals stop, TextWriter error)
    {
        var weights = training.SaveWeights();
        training.Report(stoppedEarly: true).Write(training.Options.Output);
        var resume = training.Checkpoints.Latest() is { } checkpoint
            ? $"--resume continues from {checkpoint} (epoch {training.History.Count})"
            : "no epoch finished, so there is no checkpoint to resume from";
        error.WriteLine($"modelc: {stop.Name}: stopped in epoch {training.History.Count + 1}; wrote the last step's weights to {weights}; {resume}");
        return stop.ExitCode;
    }

    // Longer limits mean none, and would overflow a TimeSpan near 1e10 minutes.
    private const int MinutesPerYear = 365 * 24 * 60;

    // Synthetic sets are generated in memory; ten million samples is past any experiment's need
    // and keeps every set's arrays within .NET's array limit.
    private const int MaxSyntheticSamples = 10_000_000;

    private static string? Problem(int epochs, int batch, double? rate, int samples, int testSamples, double validation, double? minutes, long bucketBytes) =>
        epochs < 1 ? $"--epochs must be at least 1, got {epochs}"
        : batch < 1 ? $"--batch must be at least 1, got {batch}"
        : rate is <= 0 or double.NaN ? $"--lr must be positive, got {rate}"
        : samples is < 1 or > MaxSyntheticSamples ? $"--samples must be between 1 and {MaxSyntheticSamples}, got {samples}"
        : testSamples is < 1 or > MaxSyntheticSamples ? $"--test-samples must be between 1 and {MaxSyntheticSamples}, got {testSamples}"
        : validation is < 0 or >= 1 or double.NaN ? $"--validation must be in [0, 1), got {validation}"
        : minutes is <= 0 or double.NaN or > MinutesPerYear ? $"--time-limit must be positive and at most a year ({MinutesPerYear} minutes), got {minutes}"
        : bucketBytes < 1 ? $"--bucket-bytes must be at least 1, got {bucketBytes}"
        : null;
}
