namespace ModelC.Compiler.Tests.Fuzz;

/// <summary>
/// A small deterministic generator (SplitMix64). Unlike <see cref="Random"/> its sequence is
/// fixed by this file alone, so a case number reproduces the same input on every runtime.
/// </summary>
internal sealed class FuzzRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for case <paramref name="index"/> of the stream named <paramref name="stream"/>.</summary>
    public static FuzzRandom ForCase(string stream, int index) => new(StableHash(stream) ^ ((ulong)index * 0x9E3779B97F4A7C15UL));

    /// <summary>FNV-1a: a string hash that does not change between processes.</summary>
    public static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in <c>[0, max)</c>; <paramref name="max"/> must be positive.</summary>
    public int Next(int max) => (int)(NextUInt64() % (ulong)max);

    /// <summary>A number in <c>[min, max)</c>.</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Next(100) < percent;

    /// <summary>A random element.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
