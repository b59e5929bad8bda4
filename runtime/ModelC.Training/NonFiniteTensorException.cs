using System.Globalization;

namespace ModelC.Training;

/// <summary>
/// A weight or an optimizer state became infinite or NaN (through a gradient that overflowed, or
/// a learning rate too large for the data): the parameters are ruined, training stops, and
/// nothing is saved from them.
/// </summary>
public sealed class NonFiniteTensorException : InvalidOperationException
{
    /// <summary>Element <paramref name="index"/> of <paramref name="tensor"/> is <paramref name="value"/> after step <paramref name="step"/> of epoch <paramref name="epoch"/>, run at <paramref name="learningRate"/>.</summary>
    public NonFiniteTensorException(int epoch, int step, string tensor, int index, float value, double learningRate)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"tensor '{tensor}' became non-finite (element {index} is {value}) at epoch {epoch}, step {step} (learning rate {learningRate:G3}); nothing was saved from it"))
    {
        Epoch = epoch;
        Step = step;
        Tensor = tensor;
        LearningRate = learningRate;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The step within the epoch, from 1, after which the tensor was found non-finite.</summary>
    public int Step { get; }

    /// <summary>The parameter or state (an optimizer's moments are <c>optimizer.*</c>).</summary>
    public string Tensor { get; }

    /// <summary>The step's learning rate.</summary>
    public double LearningRate { get; }
}
