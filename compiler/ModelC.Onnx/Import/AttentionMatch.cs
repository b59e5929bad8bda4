using ModelC.Onnx.Proto;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Import;

/// <summary>A linear layer's weights as the language's <c>linear</c> holds them: weight [out, in], bias [out].</summary>
internal sealed record LinearWeights(DataArray Weight, DataArray Bias);

/// <summary>
/// PyTorch's multi-head self-attention found in an ONNX graph (<see cref="AttentionPattern"/>):
/// std.nn's <c>mhsa(input, heads)</c> computes what <see cref="Nodes"/> compute, <see cref="Result"/>
/// being the last of them.
/// </summary>
/// <param name="Result">The node whose output is the attention's output.</param>
/// <param name="Input">The batch-first tokens (B, S, D) the attention reads.</param>
/// <param name="Heads">The number of heads.</param>
/// <param name="Name">The module's name in PyTorch (<c>self_attn</c>), or <c>attention</c>.</param>
/// <param name="Q">The query projection.</param>
/// <param name="K">The key projection.</param>
/// <param name="V">The value projection.</param>
/// <param name="Out">The output projection.</param>
/// <param name="Nodes">Every float node of the subgraph, <see cref="Result"/> included (the shape arithmetic is not).</param>
internal sealed record AttentionMatch(
    NodeProto Result, string Input, int Heads, string Name,
    LinearWeights Q, LinearWeights K, LinearWeights V, LinearWeights Out, IReadOnlySet<NodeProto> Nodes);
