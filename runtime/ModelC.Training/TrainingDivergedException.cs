using System.Globalization;

namespace ModelC.Training;

/// <summary>The loss of a train step became infinite or NaN: the parameters are ruined, and training cannot go on.</summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>The loss <paramref name="loss"/> of step <paramref name="step"/> of epoch <paramref name="epoch"/>, run at <paramref name="learningRate"/>.</summary>
    public TrainingDivergedException(int epoch, int step, float loss, double learningRate)
        : base(string.Create(CultureInfo.InvariantCulture, $"the loss became {loss} at epoch {epoch}, step {step} (learning rate {learningRate:G3})"))
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The step within the epoch, from 1.</summary>
    public int Step { get; }

    /// <summary>The loss the step returned.</summary>
    public float Loss { get; }

    /// <summary>The step's learning rate.</summary>
    public double LearningRate { get; }
}
