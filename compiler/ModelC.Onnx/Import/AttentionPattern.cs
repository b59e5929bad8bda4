using System.Diagnostics.CodeAnalysis;
using ModelC.Onnx.Proto;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Import;

/// <summary>
/// Recognises the subgraph <c>torch.onnx.export</c> writes for a batch-first
/// <c>nn.MultiheadAttention</c> used as self-attention, anchored at its Softmax:
/// the input transposed to (S, B, D); Q, K, V projections (one packed MatMul + Add cut by three
/// Slices, or three MatMul + Add); each reshaped to (S, B·H, d_k), the batch folded into the
/// heads, and transposed; queries divided by √d_k; scores MatMul, Softmax, MatMul with the values;
/// transposed and reshaped back to (S·B, D); the output projection (Gemm); reshaped to (S, B, D)
/// and transposed to batch-first. Every reshape's target is evaluated from the graph's shape
/// arithmetic (<see cref="GraphShapes"/>) and checked to be exactly that head split or merge, the
/// scale to be 1/√d_k, and no intermediate to be read outside the subgraph, so a graph that
/// differs anywhere is refused with the first difference rather than imported as something else.
/// </summary>
internal sealed class AttentionPattern(GraphView graph)
{

    /// <summary>
    /// Matches the attention ending in <paramref name="softmax"/>'s subgraph. A Softmax of a
    /// MatMul that is not the whole pattern gives false with the first difference found in
    /// <paramref name="mismatch"/>; any other Softmax gives false and no mismatch.
    /// </summary>
    public bool TryMatch(NodeProto softmax, [NotNullWhen(true)] out AttentionMatch? match, out string? mismatch)
    {
        match = null;
        mismatch = null;
        if (graph.Producer(softmax.Input[0]) is not { OpType: "MatMul" })
        {
            return false;
        }
        try
        {
            match = new Matching(graph).Run(softmax);
            return true;
        }
        catch (Mismatch e)
        {
            mismatch = e.Message;
            return false;
        }
    }

    private sealed class Matching(GraphView graph)
    {
        private readonly HashSet<NodeProto> _nodes = new(ReferenceEqualityComparer.Instance);
        private readonly GraphShapes _shapes = graph.Shapes;

        public AttentionMatch Run(NodeProto softmax)
        {
            _nodes.Add(softmax);
            if (Int(softmax, "axis", -1) is not (-1 or 2))
            {
                throw new Mismatch($"the Softmax is over axis {Int(softmax, "axis", -1)}, not over the keys (the last axis)");
            }
            var scores = Take(_shapes.Producer(softmax.Input[0]), "MatMul", "the scores");
            var context = Take(SingleReader(softmax), "MatMul", "the product of the attention weights with the values");
            if (context.Input[0] != softmax.Output[0])
            {
                throw new Mismatch("the attention weights are not the left operand of the product with the values");
            }
            var (queries, scale, divides) = Scaling(scores.Input[0]);
            var q = Heads(queries, [1, 0, 2], "the queries");
            var k = Heads(scores.Input[1], [1, 2, 0], "the keys");
            var v = Heads(context.Input[1], [1, 0, 2], "the values");
            var merged = Permutation(Take(SingleReader(context), "Transpose", "what reads the attention's product"), [1, 0, 2], "the heads' transpose back");
            var flat = Take(SingleReader(merged), "Reshape", "what reads the heads' transpose back");
            var ((outWeights, outName), projected) = OutProjection(flat);
            var unflat = Take(SingleReader(projected), "Reshape", "what reads the output projection");
            var result = Permutation(Take(SingleReader(unflat), "Transpose", "what reads the attention's (S, B, D) output (a batch-first layer transposes back)"), [1, 0, 2], "the transpose back to batch-first");

            var (qInput, qWeights) = Projection(q.Input[0], "the queries");
            var (kInput, kWeights) = Projection(k.Input[0], "the keys");
            var (vInput, vWeights) = Projection(v.Input[0], "the values");
            if (qInput != kInput || kInput != vInput)
            {
                throw new Mismatch("the queries, keys and values are not projections of one tensor (only self-attention is imported)");
            }
            var input = Permutation(Take(_shapes.Producer(qInput), "Transpose", "the projections' input (a batch-first layer transposes its input to sequence-first)"), [1, 0, 2], "the input's transpose");

            // The shapes: (S, B, D) in, heads split as (S, B·H, d_k), merged as (S·B, D), out as (S, B, D).
            if (_shapes.Dims(qInput) is not [{ IsStatic: true } s, var batch, { IsStatic: true } d] || batch != SymbolicDim.Batch)
            {
                throw new Mismatch($"its input is {Describe(_shapes.Dims(qInput))}, not (sequence, batch, features) with a symbolic batch");
            }
            if (_shapes.Dims(q.Output[0]) is not [_, _, { IsStatic: true, Factor: > 0 } dk] || d.Factor % dk.Factor != 0)
            {
                throw new Mismatch($"the queries' reshape gives {Describe(_shapes.Dims(q.Output[0]))}, not (S, B·heads, d_k)");
            }
            var heads = d.Factor / dk.Factor;
            foreach (var (reshape, role) in new[] { (q, "the queries"), (k, "the keys"), (v, "the values") })
            {
                ExpectDims(reshape, [s, new SymbolicDim(heads, 1), dk], $"{role}' head split");
            }
            ExpectDims(flat, [new SymbolicDim(s.Factor, 1), d], "the heads' merge");
            ExpectDims(unflat, [s, SymbolicDim.Batch, d], "the output's reshape");
            var wanted = divides ? Math.Sqrt(dk.Factor) : 1 / Math.Sqrt(dk.Factor);
            if (Math.Abs(scale - wanted) > 1e-6 * wanted)
            {
                throw new Mismatch($"the queries are {(divides ? "divided" : "multiplied")} by {scale:R}, not by {wanted:R} ({(divides ? "" : "1/")}√d_k, d_k = {dk.Factor})");
            }
            foreach (var (weights, role) in new[] { (qWeights, "query"), (kWeights, "key"), (vWeights, "value"), (outWeights, "output") })
            {
                if (weights.Weight.Shape is not [var o, var i] || o != d.Factor || i != d.Factor)
                {
                    throw new Mismatch($"the {role} projection's weight is [{string.Join(", ", weights.Weight.Shape)}], not [{d}, {d}]");
                }
            }
            if (_nodes.FirstOrDefault(n => !ReferenceEquals(n, result) && !graph.IsReadOnlyBy(n, _nodes)) is { } leak)
            {
                throw new Mismatch($"the output of {Describe(leak)} is read outside the attention");
            }
            var name = outName.EndsWith(".out_proj.weight", StringComparison.Ordinal) ? outName[..^".out_proj.weight".Length] : "attention";
            return new AttentionMatch(result, input.Input[0], (int)heads, name, qWeights, kWeights, vWeights, outWeights, _nodes);
        }

        // The queries scaled by a constant: Div by c (PyTorch's q / √d_k) or Mul by c.
        private (string Queries, double Scale, bool Divides) Scaling(string value)
        {
            var node = _shapes.Producer(value);
            if (node is { OpType: "Div" } && Scalar(node.Input[1]) is { } divisor)
            {
                _nodes.Add(node);
                return (node.Input[0], divisor, true);
            }
            if (node is { OpType: "Mul" } && (Scalar(node.Input[1]) ?? Scalar(node.Input[0])) is { } factor)
            {
                _nodes.Add(node);
                return (Scalar(node.Input[1]) is null ? node.Input[1] : node.Input[0], factor, false);
            }
            throw new Mismatch($"the scores' left operand is {Describe(node)}, not the queries scaled by a constant");
        }

        // A Transpose with the given permutation of a Reshape: one operand's head split.
        private NodeProto Heads(string value, long[] perm, string role)
        {
            var transpose = Permutation(Take(_shapes.Producer(value), "Transpose", $"{role}' heads"), perm, $"{role}' transpose");
            return Take(_shapes.Producer(transpose.Input[0]), "Reshape", $"{role}' head split");
        }

        // A projection of the sequence-first input: MatMul (+ Add of the bias), possibly one
        // column range of a packed projection cut by a Slice along the last axis.
        private (string Input, LinearWeights Weights) Projection(string value, string role)
        {
            var node = _shapes.Producer(value);
            if (node is not { OpType: "Slice" })
            {
                var (whole, weight, bias) = Affine(value, role);
                return (whole, new LinearWeights(WeightLayout.Linear(weight, 0, weight.Shape[1]), bias));
            }
            _nodes.Add(node);
            var starts = _shapes.StaticValues(node.Input[1]);
            var ends = _shapes.StaticValues(node.Input[2]);
            var axes = node.Input.Count > 3 && node.Input[3].Length > 0 ? _shapes.StaticValues(node.Input[3]) : [0];
            var steps = node.Input.Count > 4 && node.Input[4].Length > 0 ? _shapes.StaticValues(node.Input[4]) : [1];
            if (starts is not [var start] || ends is not [var end] || axes is not [-1 or 2] || steps is not [1])
            {
                throw new Mismatch($"{role} are cut from the packed projection by a Slice ('{node.Name}') that is not one constant range of the last axis");
            }
            var (input, packed, packedBias) = Affine(node.Input[0], role);
            var columns = packed.Shape[1];
            var (from, to) = ((int)Math.Clamp(start < 0 ? start + columns : start, 0, columns), (int)Math.Clamp(end < 0 ? end + columns : end, 0, columns));
            var biases = (float[])packedBias.Data;
            return (input, new LinearWeights(WeightLayout.Linear(packed, from, to), DataArray.Of(biases[from..Math.Max(from, to)], Math.Max(0, to - from))));
        }

        // x·W + b with W a constant matrix (in, out) and b a constant vector, or x·W alone (b zero).
        private (string Input, DataArray Weight, DataArray Bias) Affine(string value, string role)
        {
            var node = _shapes.Producer(value);
            DataArray? bias = null;
            if (node is { OpType: "Add" })
            {
                _nodes.Add(node);
                var biasFirst = Constant(node.Input[0]) is not null;
                bias = Constant(node.Input[biasFirst ? 0 : 1]);
                node = _shapes.Producer(node.Input[biasFirst ? 1 : 0]);
            }
            var product = Take(node, "MatMul", $"{role}' projection");
            if (Constant(product.Input[1]) is not { Shape: [_, var outputs] } weight || (bias is not null && (bias.Shape is not [var length] || length != outputs)))
            {
                throw new Mismatch($"{role}' projection ('{product.Name}') is not a product with a constant matrix plus a constant bias vector");
            }
            return (product.Input[0], weight, bias ?? DataArray.Of(new float[outputs], outputs));
        }

        // The output projection: Gemm (x·Wᵀ + b as PyTorch writes nn.Linear on matrices), or MatMul + Add.
        private ((LinearWeights Weights, string Name), NodeProto Projected) OutProjection(NodeProto flat)
        {
            var node = SingleReader(flat);
            if (node is { OpType: "Gemm" } gemm)
            {
                _nodes.Add(gemm);
                if (Float(gemm, "alpha", 1) != 1 || Float(gemm, "beta", 1) != 1 || Int(gemm, "transA", 0) != 0
                    || Constant(gemm.Input[1]) is not { Shape: [_, _] } weight || gemm.Input.Count < 3 || Constant(gemm.Input[2]) is not { Shape: [_] } bias)
                {
                    throw new Mismatch($"the output projection ('{gemm.Name}') is not x·Wᵀ + b with a constant W and b");
                }
                var w = Int(gemm, "transB", 0) == 1 ? weight : WeightLayout.Linear(weight, 0, weight.Shape[1]);
                return ((new LinearWeights(w, bias), gemm.Input[1]), gemm);
            }
            var product = Take(node, "MatMul", "the output projection");
            var add = SingleReader(product);
            if (add is not { OpType: "Add" })
            {
                throw new Mismatch($"the output projection's product is read by {Describe(add)}, not by the Add of its bias");
            }
            var (_, matrix, vector) = Affine(add.Output[0], "the output");
            return ((new LinearWeights(WeightLayout.Linear(matrix, 0, matrix.Shape[1]), vector), product.Input[1]), add);
        }

        private void ExpectDims(NodeProto node, SymbolicDim[] expected, string role)
        {
            var dims = _shapes.Dims(node.Output[0]);
            if (dims is null || !dims.SequenceEqual(expected))
            {
                throw new Mismatch($"{role} ('{node.Name}') gives {Describe(dims)}, not ({string.Join(", ", expected)})");
            }
        }

        private NodeProto Permutation(NodeProto transpose, long[] perm, string role) =>
            transpose.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints.SequenceEqual(perm) == true ? transpose
            : throw new Mismatch($"{role} ('{transpose.Name}') permutes the axes as [{string.Join(", ", transpose.Attribute.FirstOrDefault(a => a.Name == "perm")?.Ints ?? [])}], not [{string.Join(", ", perm)}]");

        private NodeProto Take(NodeProto? node, string op, string role)
        {
            if (node?.OpType != op)
            {
                throw new Mismatch($"{role} is {Describe(node)}, not a {op}");
            }
            _nodes.Add(node);
            return node;
        }

        private NodeProto? SingleReader(NodeProto node) => graph.SingleReader(node);

        private double? Scalar(string value) => graph.Scalar(value);

        private DataArray? Constant(string value) => graph.Constant(value);

        private static string Describe(NodeProto? node) => node is null ? "missing (a graph input, or a value several nodes read)" : $"a {node.OpType} node ('{node.Name}')";

        private static string Describe(IReadOnlyList<SymbolicDim>? dims) => dims is null ? "a shape that cannot be followed" : $"({string.Join(", ", dims)})";
    }

    private static long Int(NodeProto node, string name, long fallback) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? fallback;

    private static double Float(NodeProto node, string name, double fallback) => node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    private sealed class Mismatch(string message) : Exception(message);
}
