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
    };

    /// <summary>The manifest as indented JSON.</summary>
    public static string Serialize(ModelManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    /// <summary>Parses a manifest, refusing malformed text and unknown format versions.</summary>
    /// <exception cref="InvalidDataException">The text is not a manifest this runtime can read.</exception>
    public static ModelManifest Parse(string json)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, Options);
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
            throw new InvalidDataException(
                $"the manifest has format version {manifest.FormatVersion}; this runtime reads version {ModelManifest.CurrentFormatVersion} (rebuild the model with a matching modelc)");
        }
        return manifest;
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static ModelManifest Load(string path) => Parse(File.ReadAllText(path));
}
