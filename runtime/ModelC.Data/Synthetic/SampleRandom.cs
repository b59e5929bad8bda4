using ModelC.Runtime.Initialization;

namespace ModelC.Data.Synthetic;

/// <summary>
/// The random stream of one sample of a synthetic set: it depends only on the set's seed and
/// the sample's index, so samples can be generated in parallel, in any order, with the same
/// result, and the first N samples of a larger set are the set of N.
/// </summary>
public static class SampleRandom
{
    // Keeps sample 0 of seed s off the plain stream of seed s.
    private const ulong IndexSalt = 0x632BE59BD9B4E019;

    /// <summary>The generator of sample <paramref name="index"/> of the set seeded with <paramref name="seed"/>.</summary>
    public static DeterministicRandom For(ulong seed, int index) =>
        new(DeterministicRandom.Mix(seed ^ DeterministicRandom.Mix(unchecked((ulong)index + IndexSalt))));
}
