namespace ModelC.Training;

/// <summary>
/// What a <see cref="TrainingSession"/> tells about its progress while it trains: the command
/// line draws a progress bar from it, an app may log it. Every method does nothing unless
/// implemented; they are called on the training thread, in order.
/// </summary>
public interface ITrainingProgress
{
    /// <summary>Epoch <paramref name="epoch"/> of <paramref name="epochs"/> starts; it has <paramref name="steps"/> steps.</summary>
    void EpochStarted(int epoch, int epochs, int steps)
    {
    }

    /// <summary>Step <paramref name="step"/> (from 1) of the epoch is done; <paramref name="meanLoss"/> is the mean of the epoch's losses so far.</summary>
    void StepFinished(int step, double meanLoss)
    {
    }

    /// <summary>The epoch's steps and its validation are done.</summary>
    void EpochFinished(EpochRecord record)
    {
    }
}
