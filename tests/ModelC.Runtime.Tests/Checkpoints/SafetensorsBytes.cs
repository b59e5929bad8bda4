using System.Buffers.Binary;
using System.Text;

namespace ModelC.Runtime.Tests.Checkpoints;

/// <summary>Builds safetensors files by hand, valid or not, for the reader's tests.</summary>
internal static class SafetensorsBytes
{
    /// <summary>The length prefix, <paramref name="header"/> as UTF-8 (unpadded) and <paramref name="data"/>.</summary>
    public static byte[] Make(string header, params byte[] data) => Make(Encoding.UTF8.GetBytes(header), data);

    /// <summary>The length prefix, the header bytes <paramref name="json"/> as they are, and <paramref name="data"/>.</summary>
    public static byte[] Make(byte[] json, byte[] data)
    {
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    /// <summary>The little-endian bytes of <paramref name="values"/>.</summary>
    public static byte[] Floats(params float[] values) =>
        [.. values.SelectMany(v => BitConverter.GetBytes(v))];

    /// <summary>The little-endian bytes of <paramref name="values"/>.</summary>
    public static byte[] Longs(params long[] values) =>
        [.. values.SelectMany(v => BitConverter.GetBytes(v))];
}
