using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using ModelC.Runtime.Files;

namespace ModelC.Runtime.Checkpoints;

/// <summary>
/// CRC-32C (Castagnoli), the checksum a checkpoint's writer stores over its data section.
/// Written here rather than taken from System.IO.Hashing so the runtime keeps no package
/// dependencies; CRC-32C rather than the zip CRC-32 because x64 (SSE4.2) and arm64 compute it
/// in hardware, so checking a multi-gigabyte checkpoint costs little next to reading it.
/// </summary>
internal static class Crc32C
{
    private static readonly ReflectedCrc Bytewise = new(0x82F63B78); // reflected Castagnoli polynomial

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// The CRC-32C of the bytes that gave <paramref name="crc"/> followed by <paramref name="data"/>,
    /// so a stream can be checked piece by piece.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        if (Sse42.X64.IsSupported)
        {
            ulong wide = state;
            while (data.Length >= 8)
            {
                wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            state = (uint)wide;
        }
        else if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
        }
        return ~AppendBytewise(state, data);
    }

    /// <summary>The table-driven path alone, which tests hold against the hardware one.</summary>
    internal static uint ComputeBytewise(ReadOnlySpan<byte> data) => ~AppendBytewise(~0u, data);

    private static uint AppendBytewise(uint state, ReadOnlySpan<byte> data) => Bytewise.Update(state, data);
}
