namespace ModelC.Runtime.Bindings;

/// <summary>
/// A train step of a generated class met an infinite or NaN loss, learning rate or gradient (a
/// learning rate too large for the data, inputs that overflow). The step was not applied: the
/// parameters, moments and step count are those from before it.
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

    /// <summary>Step <paramref name="step"/> of model <paramref name="model"/> had an infinite or NaN gradient, at <paramref name="learningRate"/>.</summary>
    public NonFiniteStepException(string model, long step, double learningRate)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"step {step} of model {model} made a gradient infinite or NaN (learning rate {learningRate:G3}); the step was not applied"))
    {
        Step = step;
        Tensor = "a gradient";
        Value = float.NaN;
        LearningRate = learningRate;
    }

    /// <summary>The step, from 1: the step count would have become this.</summary>
    public long Step { get; }

    /// <summary>What was non-finite: the loss, the learning rate or a gradient.</summary>
    public string Tensor { get; }

    /// <summary>The non-finite value (NaN for a gradient, whose value the step does not report).</summary>
    public float Value { get; }

    /// <summary>The step's learning rate.</summary>
    public double LearningRate { get; }
}
