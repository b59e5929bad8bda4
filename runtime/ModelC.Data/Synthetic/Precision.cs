namespace ModelC.Data.Synthetic;

/// <summary>
/// Conversions between the double precision the generators compute in and the float32 the
/// data sets store.
/// </summary>
internal static class Precision
{
    /// <summary>Rounds to float32.</summary>
    public static void ToSingle(ReadOnlySpan<double> values, Span<float> destination)
    {
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = (float)values[i];
        }
    }

    /// <summary>Widens float32 to double (exactly).</summary>
    public static void ToDouble(ReadOnlySpan<float> values, Span<double> destination)
    {
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = values[i];
        }
    }
}
