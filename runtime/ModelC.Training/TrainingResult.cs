namespace ModelC.Training;

/// <summary>What <see cref="TrainingSession.Run"/> did and wrote.</summary>
/// <param name="Report">The measurements, as written to <see cref="MetricsPath"/>.</param>
/// <param name="WeightsPath">The trained weights (parameters and model states, no optimizer state).</param>
/// <param name="MetricsPath">The report, <c>metrics.json</c>.</param>
/// <param name="LossCurvePath">The loss curve, <c>loss.svg</c>.</param>
public sealed record TrainingResult(TrainingReport Report, string WeightsPath, string MetricsPath, string LossCurvePath);
