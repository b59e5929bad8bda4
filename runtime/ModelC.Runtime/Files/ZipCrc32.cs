namespace ModelC.Runtime.Files;

/// <summary>
/// The CRC-32 zip archives store for each entry (ISO-HDLC: reflected polynomial 0x04C11DB7),
/// table-driven, computed piece by piece as an entry is read (<c>.npz</c> arrays, <c>.modelc</c> bundles).
/// </summary>
internal static class ZipCrc32
{
    private static readonly ReflectedCrc Crc = new(0xEDB88320); // 0x04C11DB7 reflected

    /// <summary>The CRC of the bytes that gave <paramref name="crc"/> followed by <paramref name="data"/> (0 before any byte).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~Crc.Update(~crc, data);
}
