namespace ModelC.Runtime.Initialization;

/// <summary>
/// A small seeded generator (SplitMix64) whose output depends only on the seed — unlike
/// <see cref="Random"/>, whose algorithm may change between .NET versions — so that initial
/// weights are reproducible everywhere.
/// </summary>
public sealed class DeterministicRandom(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    // 2^-53: turns the top 53 bits of a draw into a double in [0, 1).
    private const double UnitScale = 1.0 / (1UL << 53);

    private ulong _state = seed;
    private double? _spareGaussian;

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        _state = unchecked(_state + Golden);
        return Mix(_state);
    }

    /// <summary>A uniform double in <c>[0, 1)</c>, a multiple of 2⁻⁵³.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * UnitScale;

    /// <summary>A standard normal draw (Box–Muller; each pair of uniforms yields two draws).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        // 1 − u lies in (0, 1], so the logarithm is finite.
        var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble()));
        var angle = 2.0 * Math.PI * NextDouble();
        _spareGaussian = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    /// <summary>The SplitMix64 finaliser: a bijection on 64-bit values that scatters nearby inputs.</summary>
    public static ulong Mix(ulong value)
    {
        value = unchecked((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9);
        value = unchecked((value ^ (value >> 27)) * 0x94D049BB133111EB);
        return value ^ (value >> 31);
    }
}
