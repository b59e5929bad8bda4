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

    /// <summary>Parses a manifest, refusing malformed text, unknown format versions and inconsistent fields (<see cref="ManifestValidator"/>).</summary>
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

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static ModelManifest Load(string path) => Parse(File.ReadAllText(path));
}
