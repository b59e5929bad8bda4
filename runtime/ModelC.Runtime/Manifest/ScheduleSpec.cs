namespace ModelC.Runtime.Manifest;

/// <summary>The learning-rate schedules.</summary>
public enum ScheduleKind
{
    /// <summary>The learning rate stays as given.</summary>
    Constant,

    /// <summary>Multiplied by <see cref="ScheduleSpec.Gamma"/> every <see cref="ScheduleSpec.Every"/> epochs.</summary>
    Step,

    /// <summary>Linear warm-up over <see cref="ScheduleSpec.Warmup"/> epochs, then cosine decay to <see cref="ScheduleSpec.MinLearningRate"/>.</summary>
    Cosine,

    /// <summary>PyTorch's <c>OneCycleLR</c> (cosine annealing, two phases, no momentum cycling), stepped per batch.</summary>
    OneCycle,
}

/// <summary>A learning-rate schedule and its settings (those of other kinds keep their defaults).</summary>
/// <param name="Kind">The schedule.</param>
/// <param name="Every">Step: epochs between decays.</param>
/// <param name="Gamma">Step: the decay factor.</param>
/// <param name="Warmup">Cosine: warm-up epochs.</param>
/// <param name="MinLearningRate">Cosine: the final learning rate.</param>
/// <param name="PctStart">One-cycle: the fraction of the run spent rising.</param>
/// <param name="DivFactor">One-cycle: the initial learning rate is the base one divided by this.</param>
/// <param name="FinalDivFactor">One-cycle: the final learning rate is the initial one divided by this.</param>
public sealed record ScheduleSpec(
    ScheduleKind Kind,
    int Every = 1,
    double Gamma = 0.1,
    int Warmup = 0,
    double MinLearningRate = 0,
    double PctStart = 0.3,
    double DivFactor = 25,
    double FinalDivFactor = 1e4)
{
    /// <summary>The constant schedule.</summary>
    public static ScheduleSpec Constant { get; } = new(ScheduleKind.Constant);
}
