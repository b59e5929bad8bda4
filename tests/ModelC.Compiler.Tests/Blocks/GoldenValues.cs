using System.Text;
using ModelC.Compiler.Interpreter;

namespace ModelC.Compiler.Tests.Blocks;

/// <summary>
/// The deterministic values of the block goldens, bit for bit the generator of
/// <c>tests/golden/make_block_goldens.py</c>: each tensor draws from SplitMix64 seeded with the
/// 64-bit FNV-1a hash of its name (parameters and states by their ModelC name, inputs as
/// <c>input:</c> + name). Only integer operations, one multiplication by 2⁻⁵³ and IEEE
/// arithmetic (+, −, ×, ÷, √) are used, so Python and C# produce the same doubles and no weights
/// need to be stored.
/// </summary>
internal static class GoldenValues
{
    private const ulong FnvOffset = 0xCBF29CE484222325;
    private const ulong FnvPrime = 0x100000001B3;
    private const ulong Gamma = 0x9E3779B97F4A7C15;

    /// <summary>64-bit FNV-1a of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a(string text)
    {
        var hash = FnvOffset;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * FnvPrime);
        }
        return hash;
    }

    /// <summary>The first <paramref name="count"/> outputs of SplitMix64 started at <paramref name="seed"/>.</summary>
    public static ulong[] SplitMix64(ulong seed, int count)
    {
        var values = new ulong[count];
        var state = seed;
        for (var i = 0; i < count; i++)
        {
            unchecked
            {
                state += Gamma;
                var z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
                values[i] = z ^ (z >> 31);
            }
        }
        return values;
    }

    /// <summary><c>low + (high − low)·u</c> with <c>u = (next &gt;&gt; 11)·2⁻⁵³</c>, from the stream of <paramref name="name"/>.</summary>
    public static double[] Uniform(string name, int count, double low, double high)
    {
        var draws = SplitMix64(Fnv1a(name), count);
        var span = high - low;
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = low + span * ((draws[i] >> 11) * (1.0 / (1UL << 53)));
        }
        return values;
    }

    /// <summary><c>low + (next &gt;&gt; 33) mod (high − low)</c>: integers in [low, high).</summary>
    public static double[] Integers(string name, int count, long low, long high)
    {
        var draws = SplitMix64(Fnv1a(name), count);
        return [.. draws.Select(d => (double)(low + (long)((d >> 33) % (ulong)(high - low))))];
    }

    /// <summary>
    /// The range of a parameter or state, by the last segment of its name: a <c>weight</c> of rank
    /// ≥ 2 (linear, conv, tables) U(−b, b) with b = 1/√(product of the dimensions after the first);
    /// a <c>weight</c> of rank 1 (norm scales) U(0.9, 1.1); <c>bias</c> and <c>running_mean</c>
    /// U(−0.1, 0.1); <c>running_var</c> U(0.5, 1.5).
    /// </summary>
    public static (double Low, double High) ParameterRange(string name, IReadOnlyList<int> shape)
    {
        var kind = name[(name.LastIndexOf('.') + 1)..];
        switch (kind)
        {
            case "weight" when shape.Count >= 2:
                var bound = 1.0 / Math.Sqrt(shape.Skip(1).Aggregate(1L, (n, d) => n * d));
                return (-bound, bound);
            case "weight":
                return (0.9, 1.1);
            case "bias" or "running_mean":
                return (-0.1, 0.1);
            case "running_var":
                return (0.5, 1.5);
            default:
                throw new ArgumentException($"no generator range for parameter '{name}'", nameof(name));
        }
    }

    /// <summary>The value of a parameter or state.</summary>
    public static HostTensor Parameter(string name, IReadOnlyList<int> shape)
    {
        var (low, high) = ParameterRange(name, shape);
        return HostTensor.Create(shape, Uniform(name, HostTensor.ElementCount(shape), low, high));
    }

    /// <summary>The value of an input: f32 uniform in [low, high), or i32 integers in [low, high).</summary>
    public static HostTensor Input(string name, bool integer, IReadOnlyList<int> shape, double low, double high)
    {
        var count = HostTensor.ElementCount(shape);
        var data = integer
            ? Integers("input:" + name, count, checked((long)low), checked((long)high))
            : Uniform("input:" + name, count, low, high);
        return HostTensor.Create(shape, data);
    }
}
