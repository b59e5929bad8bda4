using ModelC.Runtime.Data;

namespace ModelC.Onnx.Import;

/// <summary>What <see cref="OnnxImporter"/> made of an ONNX file.</summary>
/// <param name="Source">The <c>.mdl</c> text of the model.</param>
/// <param name="Weights">Its parameters and states under the names the compiled model gives them.</param>
public sealed record ImportedModel(string Source, IReadOnlyList<KeyValuePair<string, DataArray>> Weights);
