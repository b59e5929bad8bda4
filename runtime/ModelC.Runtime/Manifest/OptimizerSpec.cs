namespace ModelC.Runtime.Manifest;

/// <summary>The update rules a compiled train step can apply.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent, optionally with (Nesterov) momentum; weight decay is L2 added to the gradient.</summary>
    Sgd,

    /// <summary>Adam; weight decay is L2 added to the gradient.</summary>
    Adam,

    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW,
}

/// <summary>
/// An optimizer's settings as compiled into the train step. The update rules follow
/// <c>torch.optim</c> (SGD with dampening 0, Adam and AdamW without amsgrad); the learning rate
/// is not compiled in but fed to every step (see <see cref="TrainingSpec.LearningRateInput"/>),
/// so that the host can apply <see cref="Schedule"/>.
/// </summary>
/// <param name="Kind">The update rule.</param>
/// <param name="LearningRate">The base learning rate the schedule scales.</param>
/// <param name="Momentum">SGD's momentum (0: none).</param>
/// <param name="Nesterov">SGD: Nesterov momentum.</param>
/// <param name="Beta1">Adam's first-moment decay.</param>
/// <param name="Beta2">Adam's second-moment decay.</param>
/// <param name="Epsilon">Adam's denominator term.</param>
/// <param name="WeightDecay">L2 (SGD, Adam) or decoupled (AdamW) weight decay.</param>
/// <param name="Clip">The largest global gradient norm; larger gradients are scaled down (0: no clipping).</param>
/// <param name="Schedule">How the learning rate changes over the run.</param>
public sealed record OptimizerSpec(
    OptimizerKind Kind,
    double LearningRate,
    double Momentum,
    bool Nesterov,
    double Beta1,
    double Beta2,
    double Epsilon,
    double WeightDecay,
    double Clip,
    ScheduleSpec Schedule);
