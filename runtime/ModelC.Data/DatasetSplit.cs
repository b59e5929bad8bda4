namespace ModelC.Data;

/// <summary>A data set divided into the samples trained on and those held out to measure generalisation.</summary>
/// <param name="Train">The training samples.</param>
/// <param name="Validation">The held-out samples.</param>
public readonly record struct DatasetSplit(Dataset Train, Dataset Validation);
