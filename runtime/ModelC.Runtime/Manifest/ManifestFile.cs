using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelC.Runtime.Manifest;

/// <summary>Reads and writes manifests as JSON.</summary>
public static class ManifestFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        TypeInfoResolver = ManifestJsonContext.Default,
    };

    /// <summary>The manifest as indented JSON.</summary>
    public static string Serialize(ModelManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    /// <summary>Writes the manifest to <paramref name="utf8Json"/> as UTF-8, the bytes of <see cref="Serialize(ModelManifest)"/>'s text.</summary>
    public static void Serialize(ModelManifest manifest, Stream utf8Json) => JsonSerializer.Serialize(utf8Json, manifest, Options);

    /// <summary>Parses a manifest, refusing malformed text, unknown format versions and inconsistent fields (<see cref="ManifestValidator"/>).</summary>
    /// <exception cref="InvalidDataException">The text is not a manifest this runtime can read.</exception>
    public static ModelManifest Parse(string json) => Parse(() => JsonSerializer.Deserialize<ModelManifest>(json, Options));

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest this runtime can read.</exception>
    public static ModelManifest Load(string path)
    {
        // From the file's UTF-8 bytes (after a byte-order mark, if an editor wrote one): a large
        // model's manifest is never also held as UTF-16 text.
        var utf8Json = File.ReadAllBytes(path);
        var start = utf8Json.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        return Parse(() => JsonSerializer.Deserialize<ModelManifest>(utf8Json.AsSpan(start), Options));
    }

    private static ModelManifest Parse(Func<ModelManifest?> deserialize)
    {
        ModelManifest? manifest;
        try
        {
            manifest = deserialize();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the manifest is not valid: {e.Message}", e);
        }
        if (manifest is null || manifest.Name is null || manifest.Buffers.IsDefault || manifest.Tensors.IsDefault || manifest.Kernels.IsDefault || manifest.Symbols.IsDefault)
        {
            throw new InvalidDataException("the manifest is incomplete");
        }
        if (manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
        {
            var remedy = manifest.FormatVersion < ModelManifest.CurrentFormatVersion
                ? "it was built by an older modelc: rebuild the model with this version's modelc"
                : "it was built by a newer modelc: use that version's runtime, or rebuild the model with this version's modelc";
            throw new InvalidDataException(
                $"the manifest has format version {manifest.FormatVersion} and this runtime reads version {ModelManifest.CurrentFormatVersion}; {remedy}");
        }
        if (!Enum.IsDefined(manifest.Device))
        {
            throw new InvalidDataException("the manifest names a device this runtime does not know");
        }
        ManifestValidator.Validate(manifest);
        return manifest;
    }
}
