namespace ModelC.Search.Programs;

/// <summary>How every candidate trains: the same optimizer, schedule, epochs and batch, so that candidates compare.</summary>
/// <param name="Optimizer">A built-in optimizer: adam, adamw or sgd.</param>
/// <param name="LearningRate">Its learning rate.</param>
/// <param name="Schedule">A built-in schedule without arguments (cosine, constant, one_cycle).</param>
/// <param name="Epochs">Epochs per candidate.</param>
/// <param name="Batch">Samples per step.</param>
public sealed record TrainingRecipe(string Optimizer = "adam", double LearningRate = 3e-3, string Schedule = "cosine", int Epochs = 10, int Batch = 32);
