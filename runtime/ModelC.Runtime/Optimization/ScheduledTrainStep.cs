using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Optimization;

/// <summary>
/// A compiled train step (a model whose manifest has <see cref="ModelManifest.Training"/>) with
/// its learning-rate schedule: each <see cref="Run"/> sets the step's learning rate, runs forward,
/// backward and update in one call, and returns the loss. The step count lives in the model's
/// state, so a model whose parameters and states were restored from a checkpoint continues the
/// schedule where it was. The epoch loop over data sets is the ModelC.Training library's.
/// </summary>
public sealed class ScheduledTrainStep
{
    private readonly ModelInstance _model;
    private readonly TrainingSpec _training;

    /// <summary>Prepares to train <paramref name="model"/> for a run of <paramref name="totalSteps"/> steps.</summary>
    /// <param name="model">A model compiled as a train step; each step writes its learning-rate input.</param>
    /// <param name="stepsPerEpoch">Batches per epoch (schedules that count epochs read it).</param>
    /// <param name="totalSteps">Steps in the whole run (schedules that span the run read it).</param>
    /// <param name="learningRate">Replaces the optimizer's learning rate when given.</param>
    /// <param name="schedule">Replaces the optimizer's schedule when given.</param>
    /// <exception cref="ArgumentException">The model is not a train step.</exception>
    public ScheduledTrainStep(ModelInstance model, long stepsPerEpoch, long totalSteps, double? learningRate = null, ScheduleSpec? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _training = model.Manifest.Training
            ?? throw new ArgumentException($"model {model.Manifest.Name} was not compiled as a train step (it has no loss, or was built for inference)", nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerEpoch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        if (learningRate is <= 0 or double.NaN)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be positive");
        }
        _model = model;
        StepsPerEpoch = stepsPerEpoch;
        TotalSteps = totalSteps;
        BaseLearningRate = learningRate ?? _training.Optimizer.LearningRate;
        Schedule = schedule ?? _training.Optimizer.Schedule;
    }

    /// <summary>The model being trained.</summary>
    public ModelInstance Model => _model;

    /// <summary>The optimizer compiled into the step.</summary>
    public OptimizerSpec Optimizer => _training.Optimizer;

    /// <summary>The schedule of the learning rate.</summary>
    public ScheduleSpec Schedule { get; }

    /// <summary>The learning rate the schedule scales.</summary>
    public double BaseLearningRate { get; }

    /// <summary>Batches per epoch.</summary>
    public long StepsPerEpoch { get; }

    /// <summary>Steps in the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>Optimizer steps taken so far (read from the model's step state).</summary>
    public long Step => (long)_model.Floats(_training.StepState)[0];

    /// <summary>The learning rate the next step will use.</summary>
    public double LearningRate => LearningRateSchedule.At(Schedule, BaseLearningRate, Step, StepsPerEpoch, TotalSteps);

    /// <summary>
    /// One optimizer step on the batch already written to the model's inputs: returns the loss
    /// before the update; parameters, moments and the step count are updated in place.
    /// </summary>
    public float Run()
    {
        var loss = Compute();
        _model.Commit();
        return loss;
    }

    /// <summary>
    /// Computes one optimizer step on the batch already written to the model's inputs: returns
    /// the loss. Updates written in place (<see cref="TensorSpec.InPlace"/>: a CPU build's) are
    /// applied already; the others wait in the <c>:next</c> outputs until <see cref="ModelInstance.Commit"/>.
    /// </summary>
    public float Compute()
    {
        _model.Floats(_training.LearningRateInput)[0] = (float)LearningRate;
        _model.Compute();
        return _model.Floats(_training.LossOutput)[0];
    }
}
