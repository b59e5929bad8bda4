using ModelC.Runtime.Data;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Unicode;

namespace ModelC.Runtime.Checkpoints;

/// <summary>One tensor's entry in a safetensors header, checked against its dtype and shape.</summary>
internal sealed record SafetensorsEntry(string Name, StoredElement DType, ImmutableArray<int> Shape, int Count, long Begin, long End)
{
    /// <summary>The shape as text, e.g. <c>[2, 2]</c>.</summary>
    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}

/// <summary>
/// The parsed JSON header of a safetensors file. Parsing checks everything that can be checked
/// before the data is read, so a bad file is refused with its problem named rather than failing
/// later with an index or cast error: every entry well formed, every size consistent with its
/// dtype and shape, and the data section covered exactly once, with no overlap and no gap.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The key of the free-form string map in the header.</summary>
    public const string MetadataKey = "__metadata__";

    private SafetensorsHeader(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
    }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> map, in header order; empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Parses <paramref name="json"/> for a data section of <paramref name="dataLength"/> bytes;
    /// <paramref name="fail"/> makes the exception for a problem.
    /// </summary>
    public static SafetensorsHeader Parse(ReadOnlyMemory<byte> json, long dataLength, Func<string, Exception> fail)
    {
        // System.Text.Json does not promise to reject every invalid UTF-8 sequence inside strings,
        // so the bytes are checked first: a flipped byte in a name must not pass unnoticed.
        if (!Utf8.IsValid(json.Span))
        {
            throw fail("header is not valid UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw fail($"header is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw fail("header is not a JSON object");
            }
            var entries = new List<SafetensorsEntry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            OrderedDictionary<string, string>? metadata = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (metadata is not null)
                    {
                        throw fail($"{MetadataKey} appears twice in the header");
                    }
                    metadata = ParseMetadata(property.Value, fail);
                    continue;
                }
                if (!names.Add(property.Name))
                {
                    throw fail($"tensor '{property.Name}' appears twice in the header");
                }
                entries.Add(ParseEntry(property.Name, property.Value, dataLength, fail));
            }
            CheckLayout(entries, dataLength, fail);
            return new SafetensorsHeader(entries, metadata ?? []);
        }
    }

    private static OrderedDictionary<string, string> ParseMetadata(JsonElement value, Func<string, Exception> fail)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw fail($"{MetadataKey} is not a JSON object");
        }
        var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw fail($"{MetadataKey} value of '{item.Name}' is not a string");
            }
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw fail($"{MetadataKey} has key '{item.Name}' twice");
            }
        }
        return metadata;
    }

    private static SafetensorsEntry ParseEntry(string name, JsonElement value, long dataLength, Func<string, Exception> fail)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw fail($"tensor '{name}': entry is not a JSON object");
        }
        if (!value.TryGetProperty("dtype", out var dtypeValue) || dtypeValue.ValueKind != JsonValueKind.String)
        {
            throw fail($"tensor '{name}': dtype is missing or not a string");
        }
        var dtypeName = dtypeValue.GetString()!;
        if (!SafetensorsDType.All.TryGetValue(dtypeName, out var dtype))
        {
            throw fail($"tensor '{name}': unsupported dtype '{dtypeName}' (this reader takes {SafetensorsDType.Names})");
        }

        var shape = ImmutableArray.CreateBuilder<int>();
        if (!value.TryGetProperty("shape", out var shapeValue) || shapeValue.ValueKind != JsonValueKind.Array)
        {
            throw fail($"tensor '{name}': shape is missing or not an array");
        }
        foreach (var dim in shapeValue.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt32(out var d) || d < 0)
            {
                throw fail($"tensor '{name}': shape {shapeValue.GetRawText()} is not a list of non-negative integers");
            }
            shape.Add(d);
        }
        long count = 1;
        foreach (var d in shape)
        {
            // Checked against the array limit at every step, so the product cannot overflow.
            count *= d;
            if (count > Array.MaxLength)
            {
                throw fail($"tensor '{name}': shape {shapeValue.GetRawText()} has more elements than an array holds");
            }
        }

        if (!value.TryGetProperty("data_offsets", out var offsetsValue) || offsetsValue.ValueKind != JsonValueKind.Array
            || offsetsValue.GetArrayLength() != 2
            || !TryGetOffset(offsetsValue[0], out var begin) || !TryGetOffset(offsetsValue[1], out var end))
        {
            throw fail($"tensor '{name}': data_offsets must be two non-negative integers [begin, end]");
        }
        var entry = new SafetensorsEntry(name, dtype, shape.ToImmutable(), (int)count, begin, end);
        var bytes = count * dtype.Size;
        if (end < begin || end - begin != bytes)
        {
            throw fail($"tensor '{name}': data_offsets [{begin}, {end}] do not match dtype {dtype.Name} and shape {entry.ShapeText} ({bytes} bytes)");
        }
        if (end > dataLength)
        {
            throw fail($"tensor '{name}': data_offsets [{begin}, {end}] run past the data section ({dataLength} bytes)");
        }
        return entry;
    }

    private static bool TryGetOffset(JsonElement value, out long offset)
    {
        offset = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out offset) && offset >= 0;
    }

    private static void CheckLayout(List<SafetensorsEntry> entries, long dataLength, Func<string, Exception> fail)
    {
        // Empty tensors occupy no bytes, so they can neither overlap nor cover anything.
        var sorted = entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ToList();
        long covered = 0;
        long gaps = 0;
        SafetensorsEntry? last = null;
        foreach (var entry in sorted)
        {
            if (entry.Begin < covered)
            {
                throw fail($"tensor '{entry.Name}' overlaps tensor '{last!.Name}'");
            }
            gaps += entry.Begin - covered;
            covered = entry.End;
            last = entry;
        }
        gaps += dataLength - covered;
        if (gaps > 0)
        {
            throw fail($"data section has {gaps} bytes no tensor covers");
        }
    }
}
