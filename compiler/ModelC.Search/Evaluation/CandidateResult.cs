namespace ModelC.Search.Evaluation;

/// <summary>What training a candidate gave.</summary>
/// <param name="Hash">The candidate's content hash.</param>
/// <param name="Parameters">Its trainable parameters, the head included (the compiled model's count).</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set after the last epoch: the search's fitness (0 for a failure).</param>
/// <param name="TestAccuracy">Accuracy on the test set, for the report only.</param>
/// <param name="CompileSeconds">Wall-clock seconds compiling its programs (less when the kernel cache had them).</param>
/// <param name="TrainSeconds">Wall-clock seconds training and measuring it.</param>
/// <param name="Failure">Why it has no accuracy (it diverged), or null.</param>
public sealed record CandidateResult(string Hash, long Parameters, double ValidationAccuracy, double TestAccuracy, double CompileSeconds, double TrainSeconds, string? Failure = null);
