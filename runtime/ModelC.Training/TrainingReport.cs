using System.Text;
using System.Text.Json;
using ModelC.Runtime.Checkpoints;

namespace ModelC.Training;

/// <summary>What a run measured, as <c>metrics.json</c> holds it (snake_case names), with the loss curve beside it.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Data">What the data is.</param>
/// <param name="Batch">Samples per step.</param>
/// <param name="Seed">The seed of the samples' order.</param>
/// <param name="LearningRate">The learning rate that replaced the optimizer's, if any.</param>
/// <param name="EpochsPlanned">The epochs the run was to train.</param>
/// <param name="StoppedEarly">Whether the time limit stopped it before.</param>
/// <param name="Seconds">The session's wall time so far.</param>
/// <param name="Epochs">Each epoch's measurements, resumed ones included.</param>
/// <param name="Test">The test set's result, once measured.</param>
public sealed record TrainingReport(
    string Model,
    string Data,
    int Batch,
    ulong Seed,
    double? LearningRate,
    int EpochsPlanned,
    bool StoppedEarly,
    double Seconds,
    IReadOnlyList<EpochRecord> Epochs,
    Evaluation? Test)
{
    /// <summary>The report's file name in the output folder.</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>The loss curve's file name in the output folder.</summary>
    public const string LossCurveFile = "loss.svg";

    /// <summary>The JSON form of reports and of the history checkpoints carry.</summary>
    internal static JsonSerializerOptions Json { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes <see cref="MetricsFile"/> and <see cref="LossCurveFile"/> into <paramref name="folder"/>, each atomically.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, MetricsFile), s => JsonSerializer.Serialize(s, this, Json));
        var svg = LossCurve.Svg($"{Model}: loss per epoch", Epochs);
        AtomicFile.Write(Path.Combine(folder, LossCurveFile), s => s.Write(Encoding.UTF8.GetBytes(svg)));
    }
}
