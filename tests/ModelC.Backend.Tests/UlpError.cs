namespace ModelC.Backend.Tests;

/// <summary>Errors of computed f32 functions in units in the last place (the math accuracy tests, CPU and GPU).</summary>
internal static class UlpError
{
    /// <summary>
    /// The largest |computed − exact| over finite results, in units of the exact result's last
    /// place in f32 (the subnormal step below the normal range), and the input where it occurs.
    /// </summary>
    public static (double Ulp, float Input) Worst(float[] inputs, float[] outputs, Func<double, double> exact)
    {
        var (worst, at) = (0.0, 0f);
        for (var i = 0; i < inputs.Length; i++)
        {
            var reference = exact(inputs[i]);
            if (!double.IsFinite(reference) || Math.Abs(reference) > float.MaxValue)
            {
                continue;
            }
            var magnitude = Math.Abs((float)reference);
            var ulp = magnitude == float.MaxValue ? magnitude - MathF.BitDecrement(magnitude) : MathF.BitIncrement(magnitude) - magnitude;
            var error = Math.Abs(outputs[i] - reference) / ulp;
            if (error > worst)
            {
                (worst, at) = (error, inputs[i]);
            }
        }
        return (worst, at);
    }

    /// <summary>The output for <paramref name="input"/> (its sign told apart for zeros).</summary>
    public static float At(float[] inputs, float[] outputs, float input) =>
        outputs[Array.FindIndex(inputs, v => v.Equals(input) && float.IsNegative(v) == float.IsNegative(input))];
}
