using System.Text;

namespace ModelC.Runtime.Initialization;

/// <summary>
/// Draws initial values deterministically: the same seed gives the same values on every machine,
/// in the reference interpreter (doubles) and in compiled models (the same doubles rounded to
/// float). Each tensor draws from its own stream, derived from the seed and the tensor's name,
/// so adding or reordering parameters does not change the values of the others.
/// </summary>
public static class ParameterSampler
{
    /// <summary>Fills <paramref name="destination"/> from <paramref name="init"/> with a generator seeded by <paramref name="seed"/>.</summary>
    public static void Fill(InitSpec init, Span<double> destination, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(init);
        var random = new DeterministicRandom(seed);
        if (init.Kind == InitKind.Orthogonal)
        {
            OrthogonalMatrix.Fill(destination, (int)init.B, init.A, random);
            return;
        }
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = Next(init, random);
        }
    }

    /// <summary>As <see cref="Fill(InitSpec, Span{double}, ulong)"/>, each value rounded to float.</summary>
    public static void Fill(InitSpec init, Span<float> destination, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(init);
        if (init.Kind == InitKind.Orthogonal)
        {
            var values = new double[destination.Length];
            Fill(init, values, seed);
            for (var i = 0; i < values.Length; i++)
            {
                destination[i] = (float)values[i];
            }
            return;
        }
        // Element by element, without a double copy of the tensor: a model's parameters and
        // moments would otherwise pass through 12 bytes of garbage per element as it loads.
        var random = new DeterministicRandom(seed);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)Next(init, random);
        }
    }

    private static double Next(InitSpec init, DeterministicRandom random) => init.Kind switch
    {
        InitKind.Uniform => Uniform(init.A, init.B, random.NextDouble()),
        InitKind.Normal => init.A + init.B * random.NextGaussian(),
        _ => init.A,
    };

    // Rounding can carry low + (high − low)·u up to high itself; the range is half-open.
    private static double Uniform(double low, double high, double unit)
    {
        var value = low + (high - low) * unit;
        return value >= high && high > low ? Math.BitDecrement(high) : value;
    }

    /// <summary>The seed of one tensor's stream: the run's seed mixed with an FNV-1a hash of the UTF-8 name.</summary>
    public static ulong StreamSeed(ulong seed, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = unchecked((hash ^ b) * 0x100000001B3UL);
        }
        return DeterministicRandom.Mix(seed ^ DeterministicRandom.Mix(hash));
    }
}
