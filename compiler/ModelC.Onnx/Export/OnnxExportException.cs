namespace ModelC.Onnx.Export;

/// <summary>
/// A model cannot be written as ONNX: an op with no ONNX equivalent and no decomposition, or a
/// missing weight. The message names the op and, where the graph knows it, the layer and the
/// <c>.mdl</c> line it came from.
/// </summary>
public sealed class OnnxExportException(string message) : Exception(message);
