using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelC.Backend.Artifacts;
using ModelC.Backend.Cpu;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Training;
using ModelC.Data;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Optimization;

namespace ModelC.Cli.Training;

/// <summary>
/// One <c>modelc train</c> run: compiles the model's train step and its evaluation graph, feeds
/// shuffled batches epoch after epoch, validates, checkpoints every epoch, and finally tests and
/// writes the weights, the metrics and the loss curve.
/// </summary>
internal sealed class TrainingRun(TrainingSettings settings, TextWriter output, TextWriter progress, bool interactive)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Trains <paramref name="training"/> (elaborated for training), validating with <paramref name="evaluation"/>.</summary>
    /// <exception cref="InvalidOperationException">The model or data cannot be trained (the message says why).</exception>
    public void Execute(ElaboratedModel training, ElaboratedModel evaluation)
    {
        var name = training.Name;
        var (graph, spec) = TrainStep.Of(training);
        if (spec is null)
        {
            throw new InvalidOperationException($"model {name} has no loss: there is nothing to train");
        }
        var clock = Stopwatch.StartNew();
        var program = ProgramBuilder.Build(graph);
        var kernels = new JitKernels(program);
        using var model = new ModelInstance(ManifestBuilder.Build(program, CpuTarget.Host, spec), kernels,
            program.Symbols.ToDictionary(s => s, _ => settings.Batch), new ModelOptions(settings.Threads, settings.Seed), ownsKernels: true);
        var inputs = ModelInputs.Of(model, spec.LearningRateInput);
        using var evaluator = new Evaluator(evaluation.Graph, inputs, settings.Threads);
        output.WriteLine(Invariant($"{name}: compiled the train step ({program.Kernels.Length} kernels) and its evaluation in {clock.Elapsed.TotalSeconds:F1} s; {training.Graph.ParameterCount:N0} parameters, {Describe(spec.Optimizer with { LearningRate = settings.LearningRate ?? spec.Optimizer.LearningRate })}"));

        var data = TrainingData.Load(settings.Data, settings.TestData, settings.Samples, settings.TestSamples, settings.ValidationFraction, settings.Seed);
        var train = inputs.Check(data.Train, "the training data");
        var validation = data.Validation.Count > 0 ? inputs.Check(data.Validation, "the validation data") : null;
        var test = data.Test is null ? null : inputs.Check(data.Test, "the test data");
        var stepsPerEpoch = train.BatchCount(settings.Batch, LastBatch.Drop);
        if (stepsPerEpoch == 0)
        {
            throw new InvalidOperationException($"the training set has {train.Count} samples, fewer than one batch of {settings.Batch}");
        }
        output.WriteLine($"data: {data.Description}: {train.Count} training, {validation?.Count ?? 0} validation samples; {stepsPerEpoch} steps of {settings.Batch} per epoch");

        var checkpoints = new CheckpointDirectory(Path.Combine(settings.Output, "checkpoints"));
        var history = new List<EpochRecord>();
        if (settings.Resume)
        {
            history = Resume(model, checkpoints, name);
        }
        var trainer = new ScheduledTrainStep(model, stepsPerEpoch, (long)stepsPerEpoch * settings.Epochs, settings.LearningRate);
        var bar = new ProgressBar(progress, interactive);
        var started = Stopwatch.StartNew();
        var stoppedEarly = false;
        for (var epoch = history.Count + 1; epoch <= settings.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            bar.Start(Invariant($"epoch {epoch}/{settings.Epochs}"), stepsPerEpoch);
            double sum = 0;
            var done = 0;
            var rate = trainer.LearningRate;
            foreach (var batch in train.Batches(settings.Batch, settings.Seed, LastBatch.Drop, epoch))
            {
                inputs.Feed(model, train, batch);
                rate = trainer.LearningRate;
                var loss = trainer.Run();
                if (!float.IsFinite(loss))
                {
                    bar.Finish();
                    throw new InvalidOperationException(Invariant($"the loss became {loss} at epoch {epoch}, step {done + 1} (learning rate {rate:G3}); try a smaller --lr"));
                }
                sum += loss;
                bar.Report(++done, sum / done, settings.Epochs - epoch);
            }
            bar.Finish();
            var validated = validation is null ? null : evaluator.Run(model, validation, settings.Batch);
            var record = new EpochRecord(epoch, sum / done, validated?.Loss, validated?.Accuracy, rate, epochClock.Elapsed.TotalSeconds);
            history.Add(record);
            checkpoints.Save(model, epoch, Metadata(name, record, history));
            output.WriteLine(Summary(record, settings.Epochs));
            WriteReports(name, data, history, test: null, started.Elapsed, stoppedEarly: false);
            if (settings.TimeLimit is { } limit && started.Elapsed >= limit && epoch < settings.Epochs)
            {
                output.WriteLine($"stopping after epoch {epoch}: the time limit of {ProgressBar.Format(limit)} has passed");
                stoppedEarly = true;
                break;
            }
        }

        Evaluation? tested = null;
        if (test is not null)
        {
            tested = evaluator.Run(model, test, settings.Batch);
            output.WriteLine(Invariant($"test: loss {tested.Loss:G6}{(tested.Accuracy is { } a ? $", accuracy {a:P2}" : "")} over {test.Count} samples"));
        }
        var weights = Path.Combine(settings.Output, name + ".safetensors");
        ModelCheckpoint.Save(model, weights, new Dictionary<string, string> { ["modelc.model"] = name }, includeOptimizer: false);
        WriteReports(name, data, history, tested, started.Elapsed, stoppedEarly);
        output.WriteLine($"wrote {weights}, {Path.Combine(settings.Output, "metrics.json")} and {Path.Combine(settings.Output, "loss.svg")}");
    }

    private List<EpochRecord> Resume(ModelInstance model, CheckpointDirectory checkpoints, string name)
    {
        var path = checkpoints.Latest()
            ?? throw new InvalidOperationException($"--resume: no checkpoint in {checkpoints.Folder}");
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            metadata = ModelCheckpoint.Load(model, path);
        }
        catch (CheckpointFormatException e)
        {
            throw new InvalidOperationException($"--resume: {e.Message} (delete it to resume from the checkpoint before)", e);
        }
        if (metadata.GetValueOrDefault("modelc.model") is { } saved && saved != name)
        {
            throw new InvalidOperationException($"--resume: {path} is a checkpoint of model {saved}, not {name}");
        }
        var history = metadata.TryGetValue("modelc.history", out var text) ? JsonSerializer.Deserialize<List<EpochRecord>>(text, Json) ?? [] : [];
        output.WriteLine($"resuming from {path} after epoch {history.Count}");
        return history;
    }

    private Dictionary<string, string> Metadata(string name, EpochRecord record, List<EpochRecord> history) => new()
    {
        ["modelc.model"] = name,
        ["modelc.epoch"] = record.Epoch.ToString(CultureInfo.InvariantCulture),
        ["modelc.data"] = settings.Data,
        ["modelc.seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
        ["modelc.batch"] = settings.Batch.ToString(CultureInfo.InvariantCulture),
        ["modelc.history"] = JsonSerializer.Serialize(history, Json),
    };

    private void WriteReports(string name, TrainingData data, List<EpochRecord> history, Evaluation? test, TimeSpan elapsed, bool stoppedEarly)
    {
        var report = new
        {
            Model = name,
            Data = data.Description,
            settings.Batch,
            settings.Seed,
            settings.LearningRate,
            EpochsPlanned = settings.Epochs,
            StoppedEarly = stoppedEarly,
            Seconds = elapsed.TotalSeconds,
            Epochs = history,
            Test = test,
        };
        AtomicFile.Write(Path.Combine(settings.Output, "metrics.json"), s => JsonSerializer.Serialize(s, report, Json));
        var svg = LossCurve.Svg($"{name}: loss per epoch", history);
        AtomicFile.Write(Path.Combine(settings.Output, "loss.svg"), s => s.Write(System.Text.Encoding.UTF8.GetBytes(svg)));
    }

    private static string Summary(EpochRecord r, int epochs) => Invariant(
        $"epoch {r.Epoch}/{epochs}: train loss {r.TrainLoss:G6}{(r.ValidationLoss is { } v ? $", validation loss {v:G6}" : "")}{(r.ValidationAccuracy is { } a ? $", accuracy {a:P2}" : "")}, lr {r.LearningRate:G3}, {r.Seconds:F1} s");

    private static string Describe(ModelC.Runtime.Manifest.OptimizerSpec o) => Invariant(
        $"{o.Kind.ToString().ToLowerInvariant()}(lr {o.LearningRate:G3}{(o.WeightDecay > 0 ? $", weight decay {o.WeightDecay:G3}" : "")}{(o.Clip > 0 ? $", clip {o.Clip:G3}" : "")}), {(o.Schedule.Kind == ModelC.Runtime.Manifest.ScheduleKind.OneCycle ? "one_cycle" : o.Schedule.Kind.ToString().ToLowerInvariant())} schedule");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
