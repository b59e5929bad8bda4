namespace ModelC.Data.Formats;

/// <summary>
/// The CRC-32 zip archives store for each entry (ISO-HDLC: reflected polynomial 0x04C11DB7),
/// table-driven, computed piece by piece as an entry is read.
/// </summary>
internal static class ZipCrc32
{
    private const uint Polynomial = 0xEDB88320; // 0x04C11DB7 reflected

    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC of the bytes that gave <paramref name="crc"/> followed by <paramref name="data"/> (0 before any byte).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        foreach (var b in data)
        {
            state = Table[(byte)(state ^ b)] ^ (state >> 8);
        }
        return ~state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
