using System.Globalization;

namespace ModelC.Backend.Cpu;

/// <summary>
/// The host's per-core L2 cache, as Linux reports it in sysfs, which blocks GEMMs compiled for
/// the host (a B block in half of it). Null where the size cannot be read (another OS, a
/// container without sysfs): the tiling then assumes a small current core's.
/// </summary>
internal static class HostCache
{
    private const string Caches = "/sys/devices/system/cpu/cpu0/cache";

    private static readonly Lazy<long?> L2 = new(ReadL2);

    /// <summary>Bytes of the host's level-2 cache per core, when known.</summary>
    public static long? L2Bytes => L2.Value;

    /// <summary>A sysfs cache size (<c>2048K</c>, <c>1M</c>, plain bytes) in bytes; null when it is not one.</summary>
    public static long? ParseSize(string text)
    {
        var trimmed = text.Trim();
        var (digits, scale) = trimmed.Length > 0 && char.ToUpperInvariant(trimmed[^1]) is 'K' or 'M'
            ? (trimmed[..^1], char.ToUpperInvariant(trimmed[^1]) == 'K' ? 1024L : 1024L * 1024)
            : (trimmed, 1L);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value * scale : null;
    }

    private static long? ReadL2()
    {
        try
        {
            foreach (var index in Directory.Exists(Caches) ? Directory.EnumerateDirectories(Caches, "index*") : [])
            {
                string Field(string name) => File.ReadAllText(Path.Combine(index, name)).Trim();
                if (Field("level") == "2" && Field("type") is "Unified" or "Data")
                {
                    return ParseSize(Field("size"));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No usable sysfs: the tiling's default.
        }
        return null;
    }
}
