using System.Diagnostics;
using System.Globalization;
using ModelC.Data;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;
using ModelC.Runtime.Optimization;

namespace ModelC.Training;

/// <summary>
/// Trains a compiled train step on a data set, epoch after epoch: shuffled full batches, one
/// optimizer step each at the learning rate of the optimizer's schedule; after each epoch the
/// validation loss (and accuracy, for classifiers), an atomic checkpoint with the optimizer's
/// state, and the reports; at the end the test set and the trained weights.
/// </summary>
/// <remarks>
/// <see cref="Run"/> does all of that. Its steps — <see cref="Resume"/>, <see cref="TrainEpoch"/>,
/// <see cref="Evaluate"/>, <see cref="SaveCheckpoint"/>, <see cref="Report"/>,
/// <see cref="SaveWeights"/> — are public for loops of other shapes. A session resumed from the
/// checkpoint of an interrupted run continues it bit for bit: parameters, moments and step count
/// come from the checkpoint, and each epoch's sample order depends only on the seed and the
/// epoch's number. The session does not own the train step's instance; it owns the evaluation
/// program's instances it makes.
/// </remarks>
public sealed class TrainingSession : IDisposable
{
    private const string ModelKey = "modelc.model", HistoryKey = "modelc.history", EpochKey = "modelc.epoch";

    private readonly ModelInstance _model;
    private readonly TrainingSpec _training;
    private readonly DataFeed _feed;
    private readonly ScheduledTrainStep _step;
    private readonly DatasetEvaluator? _evaluator;
    private readonly FiniteTensors _finite;
    private readonly OutputLock _lock;
    private readonly List<EpochRecord> _history = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Prepares to train <paramref name="trainStep"/> on <paramref name="data"/>.</summary>
    /// <param name="trainStep">An instance of a model compiled as a train step; its batch size is the session's.</param>
    /// <param name="data">The data; its arrays are named after the model's inputs.</param>
    /// <param name="options">Epochs, output folder, seed, learning rate, time limit.</param>
    /// <param name="evaluation">The model compiled for evaluation, which measures the validation and test sets; without it they are not measured.</param>
    /// <exception cref="ArgumentException">The model is not a train step, or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The data does not fit the model's inputs, or holds less than one batch, or another session or process trains into the output folder (the message says why).</exception>
    public TrainingSession(ModelInstance trainStep, TrainingData data, TrainingOptions options, EvaluationProgram? evaluation = null)
    {
        ArgumentNullException.ThrowIfNull(trainStep);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs < 1 || options.TimeLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options, "a session needs at least one epoch and a positive time limit");
        }
        _training = trainStep.Manifest.Training
            ?? throw new ArgumentException($"model {trainStep.Manifest.Name} was not compiled as a train step (it has no loss, or was built for inference)", nameof(trainStep));
        _model = trainStep;
        Options = options;
        _feed = DataFeed.Of(trainStep, _training.LearningRateInput);
        Data = new TrainingData(
            _feed.Check(data.Train, "the training data"),
            data.Validation is null ? null : _feed.Check(data.Validation, "the validation data"),
            data.Test is null ? null : _feed.Check(data.Test, "the test data"),
            data.Description);
        StepsPerEpoch = Data.Train.BatchCount(BatchSize, LastBatch.Drop);
        if (StepsPerEpoch == 0)
        {
            throw new InvalidOperationException($"the training set has {Data.Train.Count} samples, fewer than one batch of {BatchSize}");
        }
        _finite = new FiniteTensors(trainStep);
        _step = new ScheduledTrainStep(trainStep, StepsPerEpoch, (long)StepsPerEpoch * options.Epochs, options.LearningRate);
        _evaluator = evaluation is null ? null : new DatasetEvaluator(evaluation, _feed, _training.LossOutput, ClassificationMetric.Find(evaluation.Manifest));
        Checkpoints = new CheckpointDirectory(Path.Combine(options.Output, "checkpoints"));
        // Last, so that nothing above can fail while the lock is held.
        _lock = OutputLock.Acquire(options.Output);
    }

    /// <summary>The model's name.</summary>
    public string ModelName => _model.Manifest.Name;

    /// <summary>The train step being trained; it holds the newest weights.</summary>
    public ModelInstance Model => _model;

    /// <summary>The options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The data, checked against the model's inputs (whole-valued floats feeding integer inputs made integers).</summary>
    public TrainingData Data { get; }

    /// <summary>Samples per step: the train step's batch size.</summary>
    public int BatchSize => _feed.BatchSize;

    /// <summary>Steps per epoch: the full batches of the training set.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The learning rate the next step will use.</summary>
    public double LearningRate => _step.LearningRate;

    /// <summary>The classification metric of the evaluation program, or null when the model is no classifier or there is no evaluation program.</summary>
    public ClassificationMetric? Metric => _evaluator?.Metric;

    /// <summary>Where the per-epoch checkpoints go: <c>checkpoints/</c> in the output folder.</summary>
    public CheckpointDirectory Checkpoints { get; }

    /// <summary>The epochs trained so far, resumed ones included.</summary>
    public IReadOnlyList<EpochRecord> History => _history;

    /// <summary>
    /// Restores the parameters, states, optimizer state and history from the newest checkpoint,
    /// so that the next epoch is the one after it.
    /// </summary>
    /// <returns>The checkpoint's path.</returns>
    /// <exception cref="InvalidOperationException">There is no checkpoint, or it is damaged or of another model (the message says which).</exception>
    public string Resume()
    {
        var path = Checkpoints.Latest() ?? throw new InvalidOperationException($"no checkpoint in {Checkpoints.Folder}");
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            metadata = ModelCheckpoint.Load(_model, path);
        }
        catch (CheckpointFormatException e)
        {
            throw new InvalidOperationException($"{e.Message} (delete it to resume from the checkpoint before)", e);
        }
        if (metadata.GetValueOrDefault(ModelKey) is { } saved && saved != ModelName)
        {
            throw new InvalidOperationException($"{path} is a checkpoint of model {saved}, not {ModelName}");
        }
        List<EpochRecord> history;
        try
        {
            history = metadata.TryGetValue(HistoryKey, out var text) ? EpochHistory.Parse(text) : [];
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{path}: the training history in its metadata is malformed: {e.Message}", e);
        }
        if (metadata.GetValueOrDefault(EpochKey) is { } epoch && epoch != history.Count.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"{path}: its metadata says epoch {epoch}, but its history holds {history.Count} epochs");
        }
        _history.Clear();
        _history.AddRange(history);
        return path;
    }

    /// <summary>
    /// Trains the next epoch: one step per full batch of the training set in the epoch's order,
    /// then measures the validation set. The epoch joins <see cref="History"/>.
    /// </summary>
    /// <param name="progress">Told when the epoch starts, after each step and when it ends.</param>
    /// <param name="cancellation">Checked before each step: a cancelled epoch ends between steps and is not recorded.</param>
    /// <exception cref="TrainingDivergedException">A step's loss was infinite or NaN.</exception>
    /// <exception cref="NonFiniteTensorException">A weight or optimizer state became infinite or NaN.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled; the weights are those of the last step.</exception>
    public EpochRecord TrainEpoch(ITrainingProgress? progress = null, CancellationToken cancellation = default)
    {
        var epoch = _history.Count + 1;
        var clock = Stopwatch.StartNew();
        progress?.EpochStarted(epoch, Options.Epochs, StepsPerEpoch);
        double sum = 0;
        var done = 0;
        var rate = _step.LearningRate;
        foreach (var batch in Data.Train.Batches(BatchSize, Options.Seed, LastBatch.Drop, epoch))
        {
            cancellation.ThrowIfCancellationRequested();
            _feed.Feed(_model, Data.Train, batch);
            rate = _step.LearningRate;
            var loss = _step.Run();
            if (!float.IsFinite(loss))
            {
                throw new TrainingDivergedException(epoch, done + 1, loss, rate);
            }
            sum += loss;
            done++;
            // Every step, so the message names the step that broke them and nothing non-finite
            // is measured or saved: one read of the weights and moments, ~2% of a step of the example MLP.
            RequireFinite(epoch, done, rate);
            progress?.StepFinished(done, sum / done);
        }
        var validated = Data.Validation is null ? null : _evaluator?.Evaluate(_model, Data.Validation, BatchSize);
        var record = new EpochRecord(epoch, sum / done, validated?.Loss, validated?.Accuracy, rate, clock.Elapsed.TotalSeconds);
        _history.Add(record);
        progress?.EpochFinished(record);
        return record;
    }

    private void RequireFinite(int epoch, int step, double rate)
    {
        if (_finite.FirstNonFinite() is var (tensor, index, value))
        {
            throw new NonFiniteTensorException(epoch, step, tensor, index, value, rate);
        }
    }

    /// <summary>Measures <paramref name="data"/> with the evaluation program and the current weights, in batches of <see cref="BatchSize"/> (the last one may be smaller).</summary>
    /// <exception cref="InvalidOperationException">The session has no evaluation program, or the data does not fit the model's inputs.</exception>
    public Evaluation Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_evaluator is null)
        {
            throw new InvalidOperationException("the session has no evaluation program to measure a data set with");
        }
        return _evaluator.Evaluate(_model, _feed.Check(data, "the evaluated data"), BatchSize);
    }

    /// <summary>Saves the checkpoint of the last epoch trained (optimizer state and history included), atomically; the two newest are kept.</summary>
    /// <returns>The checkpoint's path.</returns>
    /// <exception cref="InvalidOperationException">No epoch was trained.</exception>
    public string SaveCheckpoint()
    {
        var last = _history.LastOrDefault() ?? throw new InvalidOperationException("no epoch was trained, so there is nothing to checkpoint");
        return Checkpoints.Save(_model, last.Epoch, new Dictionary<string, string>
        {
            [ModelKey] = ModelName,
            [EpochKey] = last.Epoch.ToString(CultureInfo.InvariantCulture),
            ["modelc.data"] = Data.Description,
            ["modelc.seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
            ["modelc.batch"] = BatchSize.ToString(CultureInfo.InvariantCulture),
            [HistoryKey] = EpochHistory.Write(_history),
        });
    }

    /// <summary>The measurements so far; <see cref="TrainingReport.Write"/> writes them.</summary>
    /// <param name="test">The test set's result, once measured.</param>
    /// <param name="stoppedEarly">Whether the run stopped before its planned epochs.</param>
    public TrainingReport Report(Evaluation? test = null, bool stoppedEarly = false) =>
        new(ModelName, Data.Description, BatchSize, Options.Seed, Options.LearningRate, Options.Epochs, stoppedEarly, _clock.Elapsed.TotalSeconds, [.. _history], test);

    /// <summary>Writes the trained weights alone (parameters and model states, not the optimizer's) to <c>MODEL.safetensors</c> in the output folder, atomically.</summary>
    /// <returns>The file's path.</returns>
    public string SaveWeights()
    {
        Directory.CreateDirectory(Options.Output);
        var path = Path.Combine(Options.Output, ModelName + ".safetensors");
        ModelCheckpoint.Save(_model, path, new Dictionary<string, string> { [ModelKey] = ModelName }, includeOptimizer: false);
        return path;
    }

    /// <summary>
    /// Trains until <see cref="TrainingOptions.Epochs"/> are done (or the time limit has passed
    /// after an epoch), checkpointing and writing the reports after each epoch; then measures the
    /// test set and writes the weights and the final reports.
    /// </summary>
    /// <param name="progress">Told about each epoch and step.</param>
    /// <param name="cancellation">Checked before each step; the checkpoints and reports on disk are then those of the last whole epoch.</param>
    /// <exception cref="TrainingDivergedException">A step's loss was infinite or NaN.</exception>
    /// <exception cref="NonFiniteTensorException">A weight or optimizer state became infinite or NaN (nothing of it is saved).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public TrainingResult Run(ITrainingProgress? progress = null, CancellationToken cancellation = default)
    {
        var stoppedEarly = false;
        while (_history.Count < Options.Epochs && !stoppedEarly)
        {
            TrainEpoch(progress, cancellation);
            SaveCheckpoint();
            Report().Write(Options.Output);
            stoppedEarly = _clock.Elapsed >= Options.TimeLimit && _history.Count < Options.Epochs;
        }
        var test = Data.Test is null ? null : _evaluator?.Evaluate(_model, Data.Test, BatchSize);
        var weights = SaveWeights();
        var report = Report(test, stoppedEarly);
        report.Write(Options.Output);
        return new TrainingResult(report, weights, Path.Combine(Options.Output, TrainingReport.MetricsFile), Path.Combine(Options.Output, TrainingReport.LossCurveFile));
    }

    /// <summary>Frees the evaluation program's instances and releases the output folder.</summary>
    public void Dispose()
    {
        _evaluator?.Dispose();
        _lock.Dispose();
    }
}
