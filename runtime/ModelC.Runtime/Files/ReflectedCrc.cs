namespace ModelC.Runtime.Files;

/// <summary>
/// Table-driven CRC-32 over a reflected polynomial, the one algorithm behind the zip CRC-32 of
/// <c>.npz</c> entries and the CRC-32C of checkpoints; only the polynomial differs.
/// </summary>
internal sealed class ReflectedCrc
{
    private readonly uint[] _table = new uint[256];

    /// <summary>A CRC over <paramref name="polynomial"/>, given reflected (0xEDB88320 for zip's CRC-32).</summary>
    public ReflectedCrc(uint polynomial)
    {
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1;
            }
            _table[i] = c;
        }
    }

    /// <summary>The register after <paramref name="data"/>, from <paramref name="state"/> (no pre- or post-inversion).</summary>
    public uint Update(uint state, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            state = _table[(byte)(state ^ b)] ^ (state >> 8);
        }
        return state;
    }
}
