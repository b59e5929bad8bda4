using ModelC.Runtime.Initialization;

namespace ModelC.Data;

/// <summary>
/// Seeded permutations of sample indices: a Fisher–Yates shuffle driven by
/// <see cref="DeterministicRandom"/> (SplitMix64), so an order depends only on the seed and the
/// epoch, on every platform and .NET version.
/// </summary>
public static class SampleOrder
{
    // Mixed with the epoch so that epoch 0 of seed s is not the plain stream of seed s, which
    // other users of the same seed (weight initialisation) may already draw from.
    private const ulong EpochSalt = 0xD1B54A32D192ED03;

    /// <summary>The indices <c>0..count-1</c> in a shuffled order; each (seed, epoch) pair gives its own order.</summary>
    /// <param name="count">How many indices.</param>
    /// <param name="seed">The shuffling seed.</param>
    /// <param name="epoch">The epoch (≥ 0), mixed into the seed so that every epoch sees a different order.</param>
    public static int[] Permutation(int count, ulong seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }
        Shuffle(order, new DeterministicRandom(EpochSeed(seed, epoch)));
        return order;
    }

    /// <summary>The generator seed of one epoch: the seed and the epoch number mixed (SplitMix64 finaliser).</summary>
    public static ulong EpochSeed(ulong seed, int epoch) =>
        DeterministicRandom.Mix(seed ^ DeterministicRandom.Mix(unchecked((ulong)epoch + EpochSalt)));

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates: every permutation equally likely).</summary>
    public static void Shuffle<T>(Span<T> items, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = UniformIndex(random, (uint)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A uniform integer in <c>[0, bound)</c>.</summary>
    /// <remarks>
    /// Lemire's multiply-and-shift with rejection: the high half of <c>draw × bound</c> is the
    /// result, and draws whose low half falls in the short first stretch are redrawn, which
    /// removes the bias a plain modulo would have.
    /// </remarks>
    public static int UniformIndex(DeterministicRandom random, uint bound)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfZero(bound);
        var high = Math.BigMul(random.NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(random.NextUInt64(), bound, out low);
            }
        }
        return (int)high;
    }
}
