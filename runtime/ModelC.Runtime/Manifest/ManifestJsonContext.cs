using System.Text.Json.Serialization;

namespace ModelC.Runtime.Manifest;

/// <summary>
/// The manifest's JSON metadata, generated at build time: reading a manifest then needs no
/// reflection over its records nor code emitted at run time, which a process that only runs a
/// model would otherwise JIT-compile and keep (<see cref="ManifestFile"/>).
/// </summary>
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
