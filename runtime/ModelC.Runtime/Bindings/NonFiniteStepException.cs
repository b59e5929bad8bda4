namespace ModelC.Runtime.Bindings;

/// <summary>
/// A train step of a generated class would have made the loss, a weight or an optimizer state
/// infinite or NaN (a learning rate too large for the data, inputs that overflow). The step was
/// not applied: the parameters, moments and step count are those from before it.
/// </summary>
public sealed class NonFiniteStepException : ArithmeticException
{
    /// <summary>Step <paramref name="step"/> of model <paramref name="model"/> gave <paramref name="value"/> for <paramref name="what"/>, at <paramref name="learningRate"/>.</summary>
    public NonFiniteStepException(string model, long step, string what, float value, double learningRate)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"step {step} of model {model} made {what} {value} (learning rate {learningRate:G3}); the step was not applied"))
    {
        Step = step;
        Tensor = what;
        Value = value;
        LearningRate = learningRate;
    }

    /// <summary>The step, from 1: the step count would have become this.</summary>
    public long Step { get; }

    /// <summary>What became non-finite: the loss, or a parameter or state with the element's index.</summary>
    public string Tensor { get; }

    /// <summary>The non-finite value.</summary>
    public float Value { get; }

    /// <summary>The step's learning rate.</summary>
    public double LearningRate { get; }
}
