namespace ModelC.Compiler.Semantics.Symbols;

/// <summary>Picks the closest known name to a misspelt one, for "did you mean" hints.</summary>
public static class Suggestions
{
    // Names longer than this get no suggestion: people do not misspell them, and the distance
    // matrix grows with the product of the lengths.
    private const int MaxNameLength = 100;

    /// <summary>The candidate within a small edit distance of <paramref name="name"/>, or null.</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        if (name.Length > MaxNameLength)
        {
            return null;
        }
        var limit = Math.Max(1, name.Length / 3);
        return candidates
            .Distinct()
            // The distance is at least the difference in length, so most candidates need no matrix.
            .Where(c => c != name && Math.Abs(c.Length - name.Length) <= limit)
            .Select(c => (Name: c, Distance: Distance(name, c)))
            .Where(c => c.Distance <= limit && c.Distance < name.Length && c.Name.Length > 1)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    // Levenshtein distance with transpositions counted as one edit.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
