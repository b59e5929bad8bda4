namespace ModelC.Training;

/// <summary>The loss and metric of a data set under a model's evaluation program.</summary>
/// <param name="Loss">The mean loss over the samples.</param>
/// <param name="Accuracy">For classifiers, the fraction of correct predictions; else null.</param>
public sealed record Evaluation(double Loss, double? Accuracy);
