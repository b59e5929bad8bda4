using ModelC.Compiler.IR;

namespace ModelC.Onnx.Export;

/// <summary>
/// A group of IR nodes recognised as one ONNX op (the lowering of a layer: a softmax, a
/// convolution…): the nodes it reads, and how to write the op from their full values.
/// </summary>
/// <param name="Inputs">The IR nodes outside the group that it reads.</param>
/// <param name="Write">Writes the op, given the names of the inputs' values; returns the result's name.</param>
internal sealed record Composite(IReadOnlyList<Node> Inputs, Func<OnnxGraphWriter, IReadOnlyList<string>, string> Write);
