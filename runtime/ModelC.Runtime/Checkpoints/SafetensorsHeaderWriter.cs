using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ModelC.Runtime.Data;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Checkpoints;

/// <summary>
/// Builds a safetensors header as the reference implementation does: compact JSON,
/// <c>__metadata__</c> first, each tensor as <c>{"dtype","shape","data_offsets"}</c>, padded
/// with spaces to a multiple of 8 bytes so the data section starts aligned.
/// </summary>
internal static class SafetensorsHeaderWriter
{
    // Names are written as they are (no \u escapes for '+', '<' or non-ASCII), as serde_json does;
    // the header is never embedded in HTML, which is all the default escaping guards against.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The padded header bytes for <paramref name="tensors"/> laid out in order.</summary>
    public static byte[] Build(IReadOnlyList<KeyValuePair<string, DataArray>> tensors, IReadOnlyDictionary<string, string>? metadata, uint crc, uint metadataCrc)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteStartObject(SafetensorsHeader.MetadataKey);
            foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            {
                if (key is not (SafetensorsFile.ChecksumKey or SafetensorsFile.MetadataChecksumKey))
                {
                    json.WriteString(key, value);
                }
            }
            json.WriteString(SafetensorsFile.ChecksumKey, crc.ToString("x8", CultureInfo.InvariantCulture));
            json.WriteString(SafetensorsFile.MetadataChecksumKey, metadataCrc.ToString("x8", CultureInfo.InvariantCulture));
            json.WriteEndObject();

            long offset = 0;
            foreach (var (name, array) in tensors)
            {
                var (dtype, size) = array.Type switch
                {
                    ElementType.F32 => ("F32", 4),
                    ElementType.I32 => ("I32", 4),
                    _ => ("BOOL", 1),
                };
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (var d in array.Shape)
                {
                    json.WriteNumberValue(d);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += array.Count * size;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        var padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}
