namespace ModelC.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">The epoch's number, from 1.</param>
/// <param name="TrainLoss">The mean of the epoch's step losses (each before its step's update).</param>
/// <param name="ValidationLoss">The validation set's loss after the epoch (null without one).</param>
/// <param name="ValidationAccuracy">The validation accuracy of a classifier.</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="Seconds">The epoch's wall time, validation included.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss, double? ValidationAccuracy, double LearningRate, double Seconds);
