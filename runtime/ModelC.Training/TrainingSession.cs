using System.Diagnostics;
using System.Globalization;
using ModelC.Data;
using ModelC.Distributed;
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
/// <para>
/// Data-parallel (<see cref="TrainingSession(TrainStepParts, TrainingData, TrainingOptions, ICommunicator, EvaluationProgram?)"/>):
/// every rank of the job runs the same session; each global batch (the same on every rank, from
/// the seed) is cut into one equal shard per rank, the gradients are summed between the
/// gradients and update programs, and rank 0's weights are given to all at the start and on
/// resume. Rank 0 alone holds the output folder and writes checkpoints and reports, and
/// measures the validation and test sets.
/// </para>
/// </remarks>
public sealed class TrainingSession : IDisposable
{
    private const string ModelKey = "modelc.model", HistoryKey = "modelc.history", EpochKey = "modelc.epoch";

    private readonly ModelInstance _model;
    private readonly ModelInstance _fed;
    private readonly TrainingSpec _training;
    private readonly DataFeed _feed;
    private readonly ScheduledTrainStep? _step;
    private readonly DataParallelStep? _parallel;
    private readonly ICommunicator _communicator;
    private readonly DatasetEvaluator? _evaluator;
    private readonly FiniteTensors _finite;
    private readonly OutputLock? _lock;
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
        : this(trainStep, trainStep, null, new SingleProcess(), data, options, evaluation)
    {
    }

    /// <summary>
    /// Prepares rank <see cref="ICommunicator.Rank"/> of a data-parallel job to train
    /// <paramref name="step"/> on <paramref name="data"/>, which every rank passes alike; the
    /// global batch is the gradients program's batch times the ranks. Every rank must construct
    /// its session and call the same methods in the same order.
    /// </summary>
    /// <param name="step">The train step's gradients and update programs.</param>
    /// <param name="data">The data; its arrays are named after the model's inputs.</param>
    /// <param name="options">Epochs, output folder, seed, learning rate, time limit.</param>
    /// <param name="communicator">The ranks of the job; the session does not own it.</param>
    /// <param name="evaluation">The model compiled for evaluation, which rank 0 measures the validation and test sets with.</param>
    /// <exception cref="ArgumentException">The programs do not fit together, or an option is out of range.</exception>
    /// <exception cref="InvalidOperationException">As for a single process (on rank 0: the output folder is in use).</exception>
    public TrainingSession(TrainStepParts step, TrainingData data, TrainingOptions options, ICommunicator communicator, EvaluationProgram? evaluation = null)
        : this((step ?? throw new ArgumentNullException(nameof(step))).Update, step.Gradients, step, communicator, data, options, evaluation)
    {
    }

    private TrainingSession(ModelInstance model, ModelInstance fed, TrainStepParts? parts, ICommunicator communicator, TrainingData data, TrainingOptions options, EvaluationProgram? evaluation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs < 1 || options.TimeLimit <= TimeSpan.Zero || options.GradientBucketBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options, "a session needs at least one epoch, a positive time limit and a positive bucket size");
        }
        _training = parts?.Training ?? model.Manifest.Training
            ?? throw new ArgumentException($"model {model.Manifest.Name} was not compiled as a train step (it has no loss, or was built for inference)", nameof(model));
        _model = model;
        _fed = fed;
        _communicator = communicator;
        Options = options;
        _feed = DataFeed.Of(fed, _training.LearningRateInput);
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
        _finite = new FiniteTensors(model);
        var totalSteps = (long)StepsPerEpoch * options.Epochs;
        if (parts is null)
        {
            _step = new ScheduledTrainStep(model, StepsPerEpoch, totalSteps, options.LearningRate);
        }
        else
        {
            _parallel = new DataParallelStep(parts, communicator, StepsPerEpoch, totalSteps, options.LearningRate, options.GradientBucketBytes);
            _parallel.CheckBucketsAgree();
            _parallel.ShareWeights();
        }
        _evaluator = evaluation is null ? null : new DatasetEvaluator(evaluation, _feed, _training.LossOutput, ClassificationMetric.Find(evaluation.Manifest));
        Checkpoints = new CheckpointDirectory(Path.Combine(options.Output, "checkpoints"));
        // Last, so that nothing above can fail while the lock is held.
        _lock = IsRoot ? OutputLock.Acquire(options.Output) : null;
    }

    /// <summary>The model's name.</summary>
    public string ModelName => _model.Manifest.Name;

    /// <summary>The train step being trained; it holds the newest weights.</summary>
    public ModelInstance Model => _model;

    /// <summary>The options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The data, checked against the model's inputs (whole-valued floats feeding integer inputs made integers).</summary>
    public TrainingData Data { get; }

    /// <summary>Samples per step: the train step's batch size (data-parallel: the global batch, every rank's shard together).</summary>
    public int BatchSize => _feed.BatchSize * _communicator.Size;

    /// <summary>Whether this process writes the outputs: rank 0 of a data-parallel job, or the only process.</summary>
    public bool IsRoot => _communicator.Rank == 0;

    /// <summary>Time spent summing gradients over the ranks, over all steps so far, on the communication thread while the backward kernels ran and after (zero in a single process).</summary>
    public TimeSpan ReduceTime => _parallel?.ReduceTime ?? TimeSpan.Zero;

    /// <summary>The allreduce calls that sum the gradients each step (zero in a single process).</summary>
    public int GradientBucketCount => _parallel?.Buckets.Count ?? 0;

    /// <summary>
    /// Of <see cref="ReduceTime"/>, the time the steps waited for the sums after computing their
    /// gradients: the part not overlapped with the backward kernels (zero in a single process).
    /// </summary>
    public TimeSpan ReduceWaitTime => _parallel?.ReduceWaitTime ?? TimeSpan.Zero;

    /// <summary>Steps per epoch: the full batches of the training set.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The learning rate the next step will use.</summary>
    public double LearningRate => _parallel?.LearningRate ?? _step!.LearningRate;

    /// <summary>The classification metric of the evaluation program, or null when the model is no classifier or there is no evaluation program.</summary>
    public ClassificationMetric? Metric => _evaluator?.Metric;

    /// <summary>Where the per-epoch checkpoints go: <c>checkpoints/</c> in the output folder.</summary>
    public CheckpointDirectory Checkpoints { get; }

    /// <summary>The epochs trained so far, resumed ones included.</summary>
    public IReadOnlyList<EpochRecord> History => _history;

    /// <summary>
    /// Restores the parameters, states, optimizer state and history from the newest checkpoint,
    /// so that the next epoch is the one after it. Data-parallel, rank 0 reads it and gives it
    /// to the others, whatever number of ranks wrote it.
    /// </summary>
    /// <returns>The checkpoint's path.</returns>
    /// <exception cref="InvalidOperationException">There is no checkpoint, or it is damaged or of another model (the message says which).</exception>
    public string Resume()
    {
        var path = IsRoot ? ResumeFromCheckpoint() : "";
        if (_parallel is not null)
        {
            var shared = ShareText(path + "\n" + EpochHistory.Write(_history)).Split('\n', 2);
            _history.Clear();
            _history.AddRange(EpochHistory.Parse(shared[1]));
            _parallel.ShareWeights();
            path = shared[0];
        }
        return path;
    }

    private string ResumeFromCheckpoint()
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
        var rate = LearningRate;
        foreach (var batch in Data.Train.Batches(BatchSize, Options.Seed, LastBatch.Drop, epoch))
        {
            cancellation.ThrowIfCancellationRequested();
            _feed.Feed(_fed, Data.Train, batch.AsSpan(_communicator.Rank * _feed.BatchSize, _feed.BatchSize));
            rate = LearningRate;
            var loss = _parallel?.Run() ?? _step!.Run();
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
        var validated = Data.Validation is null || !IsRoot ? null : _evaluator?.Evaluate(_model, Data.Validation, BatchSize);
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
    /// <exception cref="InvalidOperationException">No epoch was trained, or this is not rank 0.</exception>
    public string SaveCheckpoint()
    {
        RequireRoot("checkpoints");
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
    /// <exception cref="InvalidOperationException">This is not rank 0.</exception>
    public string SaveWeights()
    {
        RequireRoot("the weights");
        Directory.CreateDirectory(Options.Output);
        var path = WeightsPath;
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
            if (IsRoot)
            {
                SaveCheckpoint();
                Report().Write(Options.Output);
            }
            // Rank 0's clock decides, so that every rank trains the same epochs.
            stoppedEarly = Agree(_clock.Elapsed >= Options.TimeLimit && _history.Count < Options.Epochs);
        }
        var test = Data.Test is null || !IsRoot ? null : _evaluator?.Evaluate(_model, Data.Test, BatchSize);
        var report = Report(test, stoppedEarly);
        if (IsRoot)
        {
            SaveWeights();
            report.Write(Options.Output);
        }
        return new TrainingResult(report, WeightsPath, Path.Combine(Options.Output, TrainingReport.MetricsFile), Path.Combine(Options.Output, TrainingReport.LossCurveFile));
    }

    /// <summary>Frees the evaluation program's instances, ends the data-parallel communication thread and releases the output folder.</summary>
    public void Dispose()
    {
        _evaluator?.Dispose();
        _parallel?.Dispose();
        _lock?.Dispose();
    }

    private string WeightsPath => Path.Combine(Options.Output, ModelName + ".safetensors");

    private void RequireRoot(string what)
    {
        if (!IsRoot)
        {
            throw new InvalidOperationException($"rank {_communicator.Rank} of a data-parallel job: only rank 0 writes {what}");
        }
    }

    private bool Agree(bool rootDecides)
    {
        Span<byte> decision = [rootDecides ? (byte)1 : (byte)0];
        _communicator.Broadcast(decision);
        return decision[0] != 0;
    }

    // Rank 0's text, on every rank: its length, then its UTF-8 bytes.
    private string ShareText(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        Span<byte> length = BitConverter.GetBytes(bytes.Length);
        _communicator.Broadcast(length);
        Array.Resize(ref bytes, BitConverter.ToInt32(length));
        _communicator.Broadcast(bytes);
        return System.Text.Encoding.UTF8.GetString(bytes);
    }
}
