namespace ModelC.Onnx.Import;

/// <summary>An ONNX model cannot be written in the language; the message lists each node that cannot, by name.</summary>
public sealed class OnnxImportException(string message) : Exception(message);
