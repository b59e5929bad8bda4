using System.Globalization;
using System.Text;
using ModelC.Onnx.Proto;
using ModelC.Runtime;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Import;

/// <summary>
/// Writes an ONNX model as a <c>.mdl</c> model: one <c>let</c> per ONNX node, as the layer it is
/// (Gemm or MatMul with a weight → <c>linear</c>, Conv → <c>conv</c>, BatchNormalization →
/// <c>batch_norm</c>, LayerNormalization → <c>layer_norm</c>, pools, activations, Flatten,
/// Softmax) or as tensor arithmetic; each layer's <c>let</c> is named after its weight
/// (<c>0.weight</c> → <c>layer_0</c>), and the initializers are returned under the names the
/// compiled model gives its parameters (<c>layer_0.weight</c>). Nodes the language cannot
/// express are all reported at once, by op and node name.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Imports <paramref name="onnx"/> as a model named <paramref name="modelName"/>.</summary>
    /// <exception cref="OnnxImportException">Some nodes or inputs cannot be expressed (the message lists them).</exception>
    public static ImportedModel Import(ModelProto onnx, string modelName)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        return new Translation(onnx.Graph, modelName).Run();
    }

    private sealed class Translation(GraphProto graph, string modelName)
    {
        private readonly Dictionary<string, DataArray> _constants = graph.Initializer.ToDictionary(t => t.Name, OnnxTensors.FromTensor, StringComparer.Ordinal);
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
        private readonly MdlNames _names = new();
        private readonly List<string> _lines = [];
        private readonly List<string> _problems = [];
        private readonly List<KeyValuePair<string, DataArray>> _weights = [];
        // Values computed from tensor shapes (ComputesShape).
        private readonly HashSet<string> _shapes = new(StringComparer.Ordinal);
        // Nodes translated as part of an earlier node's layer (a linear layer's bias Add) or of a later one's (an attention's).
        private readonly HashSet<NodeProto> _absorbed = new(ReferenceEqualityComparer.Instance);
        // Multi-head attentions, by their last node.
        private readonly Dictionary<NodeProto, AttentionMatch> _attentions = new(ReferenceEqualityComparer.Instance);
        // GELUs written out with Erf, by their last node: the value each reads.
        private readonly Dictionary<NodeProto, string> _gelus = new(ReferenceEqualityComparer.Instance);
        // Layer norms written out with ReduceMean, by their last node.
        private readonly Dictionary<NodeProto, LayerNormMatch> _layerNorms = new(ReferenceEqualityComparer.Instance);
        // Why Softmax nodes that looked like attention were not: reported when the import fails.
        private readonly List<string> _mismatches = [];

        public ImportedModel Run()
        {
            var symbols = new List<string>();
            var inputs = new List<string>();
            foreach (var input in graph.Input.Where(i => !_constants.ContainsKey(i.Name)))
            {
                var name = _names.Fresh(input.Name, plain: true);
                _values[input.Name] = name;
                var dims = input.Type.TensorType.Shape.Dim.Select(d =>
                {
                    if (d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue)
                    {
                        return d.DimValue.ToString(CultureInfo.InvariantCulture);
                    }
                    var symbol = _names.Fresh(d.DimParam.Length == 0 ? "B" : d.DimParam, plain: true);
                    if (!symbols.Contains(symbol))
                    {
                        symbols.Add(symbol);
                    }
                    return symbol;
                });
                if (input.Type.TensorType.ElemType != (int)TensorProto.Types.DataType.Float)
                {
                    _problems.Add($"input '{input.Name}' is not float32");
                }
                if (input.Type.TensorType.Shape.Dim.Skip(1).FirstOrDefault(d => d.DimParam.Length > 0) is { } late)
                {
                    _problems.Add($"input '{input.Name}' has its symbolic dimension '{late.DimParam}' at axis {input.Type.TensorType.Shape.Dim.IndexOf(late)}; a .mdl input has the batch first (export PyTorch's sequence-first layers with batch_first=True)");
                }
                inputs.Add($"    input  {name}: f32[{string.Join(", ", dims)}];");
            }
            FindComposites();
            foreach (var node in graph.Node.Where(n => !_absorbed.Contains(n)))
            {
                try
                {
                    Translate(node);
                }
                catch (NotExpressible e) when (!e.Consequential)
                {
                    _problems.Add($"{node.OpType} node '{node.Name}': {e.Message}");
                }
                catch (NotExpressible)
                {
                    // It reads a value an earlier reported node could not compute: that node is the problem.
                }
            }
            var outputs = graph.Output.Select(o => _values.TryGetValue(o.Name, out var v) ? $"    output {_names.Fresh(o.Name, plain: true)} = {v};" : null).ToList();
            if (_problems.Count > 0)
            {
                _problems.AddRange(_mismatches);
                throw new OnnxImportException($"{_problems.Count} part(s) of the ONNX graph have no .mdl form:\n  " + string.Join("\n  ", _problems));
            }
            var source = new StringBuilder();
            source.AppendLine(CultureInfo.InvariantCulture, $"// Imported from ONNX by modelc import; the weights are in the safetensors file beside it.");
            source.AppendLine("import std.nn;");
            source.AppendLine();
            source.AppendLine(CultureInfo.InvariantCulture, $"model {modelName}({string.Join(", ", symbols.Select(s => $"{s}: batch"))}) {{");
            foreach (var line in inputs.Concat(_lines).Concat(outputs!))
            {
                source.AppendLine(line);
            }
            source.AppendLine("}");
            return new ImportedModel(source.ToString(), _weights);
        }

        // Layers PyTorch writes as several nodes, recognised as a whole before the nodes are
        // translated: its multi-head attention (whose reshapes fold the batch into the heads, which
        // no node-by-node translation can write), its exact GELU (Erf has no .mdl form) and its
        // layer norm below opset 17 (ReduceMean has none either).
        private void FindComposites()
        {
            var view = new GraphView(graph, _constants);
            var attention = new AttentionPattern(view);
            foreach (var node in graph.Node)
            {
                if (node.OpType == "Softmax")
                {
                    if (attention.TryMatch(node, out var match, out var mismatch))
                    {
                        _attentions[match.Result] = match;
                        _absorbed.UnionWith(match.Nodes.Where(n => !ReferenceEquals(n, match.Result)));
                    }
                    else if (mismatch is not null)
                    {
                        _mismatches.Add($"Softmax node '{node.Name}' is not imported as multi-head attention: {mismatch}");
                    }
                }
                else if (node.OpType == "Erf" && GeluPattern.Match(node, view) is var (result, input, nodes))
                {
                    _gelus[result] = input;
                    _absorbed.UnionWith(nodes.Where(n => !ReferenceEquals(n, result)));
                }
                else if (node.OpType == "ReduceMean" && LayerNormPattern.Match(node, view) is { } norm)
                {
                    _layerNorms[norm.Result] = norm;
                    _absorbed.UnionWith(norm.Nodes.Where(n => !ReferenceEquals(n, norm.Result)));
                }
            }
        }

        // std.nn's mhsa: its projections q, k, v and out are named in its scope (self_attn.q.weight…).
        private void Attention(AttentionMatch match)
        {
            var name = _names.Fresh(match.Name);
            _lines.Add($"    let {name} = mhsa({Value(match.Input)}, {match.Heads});");
            _values[match.Result.Output[0]] = name;
            foreach (var (projection, weights) in new[] { ("q", match.Q), ("k", match.K), ("v", match.V), ("out", match.Out) })
            {
                _weights.Add(KeyValuePair.Create($"{name}.{projection}.weight", weights.Weight));
                _weights.Add(KeyValuePair.Create($"{name}.{projection}.bias", weights.Bias));
            }
        }

        private void Translate(NodeProto node)
        {
            if (_attentions.TryGetValue(node, out var attention))
            {
                Attention(attention);
                return;
            }
            if (_gelus.TryGetValue(node, out var geluInput))
            {
                Let(node, "gelu", $"gelu({Value(geluInput)})");
                return;
            }
            if (_layerNorms.TryGetValue(node, out var norm))
            {
                Layer(node, norm.Input, norm.WeightName, "layer_norm", $"layer_norm(eps = {Number(norm.Epsilon)})", ("weight", norm.Weight), ("bias", norm.Bias));
                return;
            }
            if (ComputesShape(node))
            {
                _shapes.Add(node.Output[0]);
                return;
            }
            switch (node.OpType)
            {
                case "Reshape" when _shapes.Contains(node.Input[1]):
                    throw new NotExpressible(
                        "its target shape is computed at run time from tensor shapes (Shape → Gather → Concat); PyTorch's nn.MultiheadAttention folds the batch into the heads' dimension this way, which .mdl's reshape, keeping the batch axis, cannot express");
                case "Identity" or "Dropout" when _constants.TryGetValue(node.Input[0], out var constant):
                    _constants[node.Output[0]] = constant;
                    return;
                case "Identity" or "Dropout":
                    _values[node.Output[0]] = Value(node.Input[0]);
                    return;
                case "Constant" when node.Attribute.FirstOrDefault(a => a.Name == "value") is { } value:
                    _constants[node.Output[0]] = OnnxTensors.FromTensor(value.T);
                    return;
                case "Gemm":
                    Gemm(node);
                    return;
                case "MatMul" when _constants.ContainsKey(node.Input[1]):
                    MatMulLayer(node);
                    return;
                case "Conv":
                    Conv(node);
                    return;
                case "BatchNormalization":
                    Layer(node, node.Input[0], node.Input[1], "batch_norm", $"batch_norm(eps = {Number(Float(node, "epsilon", 1e-5))})",
                        ("weight", Constant(node.Input[1])), ("bias", Constant(node.Input[2])), ("running_mean", Constant(node.Input[3])), ("running_var", Constant(node.Input[4])));
                    return;
                case "LayerNormalization":
                    if (Int(node, "axis", -1) != -1 || node.Input.Count < 3)
                    {
                        throw new NotExpressible("only a layer norm over the last axis with a scale and a bias has a .mdl form");
                    }
                    Layer(node, node.Input[0], node.Input[1], "layer_norm", $"layer_norm(eps = {Number(Float(node, "epsilon", 1e-5))})", ("weight", Constant(node.Input[1])), ("bias", Constant(node.Input[2])));
                    return;
                case "MaxPool" or "AveragePool":
                    Pool(node);
                    return;
                case "GlobalAveragePool":
                    Let(node, "global_avg_pool", $"global_avg_pool({Value(node.Input[0])})");
                    return;
                case "Flatten":
                    if (Int(node, "axis", 1) != 1)
                    {
                        throw new NotExpressible("only a Flatten from axis 1 has a .mdl form");
                    }
                    Let(node, "flatten", $"flatten({Value(node.Input[0])})");
                    return;
                case "Relu" or "Tanh" or "Sigmoid":
                    Let(node, node.OpType.ToLowerInvariant(), $"{node.OpType.ToLowerInvariant()}({Value(node.Input[0])})");
                    return;
                case "Softmax" or "LogSoftmax":
                    var name = node.OpType == "Softmax" ? "softmax" : "log_softmax";
                    Let(node, name, $"{name}(dim = {Int(node, "axis", -1)})({Value(node.Input[0])})");
                    return;
                case "Add" or "Sub" or "Mul" or "Div":
                    var symbol = node.OpType switch { "Add" => "+", "Sub" => "-", "Mul" => "*", _ => "/" };
                    Let(node, node.OpType.ToLowerInvariant(), $"{Operand(node.Input[0])} {symbol} {Operand(node.Input[1])}");
                    return;
                case "MatMul":
                    Let(node, "matmul", $"{Value(node.Input[0])} @ {Value(node.Input[1])}");
                    return;
                default:
                    throw new NotExpressible("no .mdl equivalent");
            }
        }

        private void Gemm(NodeProto node)
        {
            if (Float(node, "alpha", 1) != 1 || Float(node, "beta", 1) != 1 || Int(node, "transA", 0) != 0 || !_constants.ContainsKey(node.Input[1]))
            {
                throw new NotExpressible("only x·W (+ b) with a constant W has a .mdl form (linear)");
            }
            var weight = Constant(node.Input[1]);
            var transposed = Int(node, "transB", 0) == 1;
            var w = transposed ? weight : Transposed(weight);
            var outputs = w.Shape[0];
            if (node.Input.Count > 2 && node.Input[2].Length > 0)
            {
                Layer(node, node.Input[0], node.Input[1], "linear", $"linear({outputs})", ("weight", w), ("bias", Constant(node.Input[2])));
            }
            else
            {
                Layer(node, node.Input[0], node.Input[1], "linear", $"linear({outputs}, bias = false)", ("weight", w));
            }
        }

        // Integer arithmetic on tensor shapes: Shape, and what computes from its values and constants
        // alone. It has no .mdl form of its own; a Reshape that uses its result is the problem reported.
        private bool ComputesShape(NodeProto node) =>
            node.OpType == "Shape"
            || (node.OpType is "Gather" or "Unsqueeze" or "Squeeze" or "Concat" or "Cast" or "Add" or "Sub" or "Mul" or "Div" or "Slice"
                && node.Input.Any(_shapes.Contains) && node.Input.All(i => i.Length == 0 || _shapes.Contains(i) || _constants.ContainsKey(i)));

        // x·W with a constant W is a linear layer. PyTorch writes a Linear on input of more than two
        // dimensions as MatMul then Add of the bias (Gemm takes matrices only): when the product
        // feeds nothing but such an Add, the two are one linear layer with a bias.
        private void MatMulLayer(NodeProto node)
        {
            var weight = Constant(node.Input[1]);
            if (weight.Shape.Length != 2)
            {
                throw new NotExpressible("only a product with a constant matrix has a .mdl form (linear)");
            }
            var outputs = weight.Shape[1];
            if (BiasAddOf(node, outputs) is var (add, bias))
            {
                // Absorbed first: should the layer's input be missing, the Add is no problem of its own.
                _absorbed.Add(add);
                Layer(node, node.Input[0], node.Input[1], "linear", $"linear({outputs})", ("weight", Transposed(weight)), ("bias", bias));
                _values[add.Output[0]] = _values[node.Output[0]];
            }
            else
            {
                Layer(node, node.Input[0], node.Input[1], "linear", $"linear({outputs}, bias = false)", ("weight", Transposed(weight)));
            }
        }

        // The Add that adds a constant vector of `outputs` floats to the product and is its only reader.
        private (NodeProto Add, DataArray Bias)? BiasAddOf(NodeProto product, int outputs)
        {
            var result = product.Output[0];
            var readers = graph.Node.Where(n => n.Input.Contains(result)).ToList();
            if (readers.Count != 1 || readers[0] is not { OpType: "Add" } add || add.Input.Count != 2 || graph.Output.Any(o => o.Name == result))
            {
                return null;
            }
            var other = add.Input[0] == result ? add.Input[1] : add.Input[0];
            return _constants.TryGetValue(other, out var bias) && bias.Type == ElementType.F32 && bias.Shape is [var length] && length == outputs
                ? (add, bias) : null;
        }

        private void Conv(NodeProto node)
        {
            var weight = Constant(node.Input[1]);
            var kernel = Ints(node, "kernel_shape") ?? [weight.Shape[2], weight.Shape[3]];
            var strides = Ints(node, "strides") ?? [1, 1];
            var dilations = Ints(node, "dilations") ?? [1, 1];
            var pads = Ints(node, "pads") ?? [0, 0, 0, 0];
            if (weight.Shape.Length != 4 || kernel[0] != kernel[1] || strides[0] != strides[1] || dilations[0] != dilations[1] || pads.Distinct().Count() != 1
                || (Str(node, "auto_pad") is { } auto && auto != "NOTSET"))
            {
                throw new NotExpressible("only a 2-D convolution with a square kernel, equal strides and dilations and the same padding on every side has a .mdl form");
            }
            var groups = Int(node, "group", 1);
            var call = $"conv({weight.Shape[0]}, k = {kernel[0]}, stride = {strides[0]}, pad = {pads[0]}, dilation = {dilations[0]}, groups = {groups}";
            if (node.Input.Count > 2 && node.Input[2].Length > 0)
            {
                Layer(node, node.Input[0], node.Input[1], "conv", call + ")", ("weight", weight), ("bias", Constant(node.Input[2])));
            }
            else
            {
                Layer(node, node.Input[0], node.Input[1], "conv", call + ", bias = false)", ("weight", weight));
            }
        }

        private void Pool(NodeProto node)
        {
            var kernel = Ints(node, "kernel_shape")!;
            var strides = Ints(node, "strides") ?? kernel;
            var pads = Ints(node, "pads") ?? [0, 0, 0, 0];
            var average = node.OpType == "AveragePool";
            if (kernel.Length != 2 || kernel[0] != kernel[1] || strides[0] != strides[1] || pads.Distinct().Count() != 1 || Int(node, "ceil_mode", 0) != 0
                || (Ints(node, "dilations") is { } d && d.Any(v => v != 1)) || (average && pads[0] > 0 && Int(node, "count_include_pad", 0) != 1))
            {
                throw new NotExpressible("only a square pool with equal strides, the same padding on every side and floor rounding has a .mdl form");
            }
            var name = average ? "avg_pool" : "max_pool";
            Let(node, name, $"{name}(k = {kernel[0]}, stride = {strides[0]}, pad = {pads[0]})({Value(node.Input[0])})");
        }

        // A layer with weights reading `input`: its let is named after the first weight's prefix, so the
        // compiled model's parameters are <let>.weight, <let>.bias….
        private void Layer(NodeProto node, string input, string weightName, string kind, string call, params (string Suffix, DataArray Value)[] weights)
        {
            var prefix = weightName.EndsWith(".weight", StringComparison.Ordinal) ? weightName[..^".weight".Length] : $"{kind}_{_lines.Count}";
            var name = _names.Fresh(prefix.Contains('_', StringComparison.Ordinal) || char.IsAsciiDigit(prefix[0]) ? prefix : $"{prefix}_{kind}");
            _lines.Add($"    let {name} = {call}({Value(input)});");
            _values[node.Output[0]] = name;
            foreach (var (suffix, value) in weights)
            {
                _weights.Add(KeyValuePair.Create($"{name}.{suffix}", value));
            }
        }

        private void Let(NodeProto node, string kind, string expression)
        {
            var name = _names.Fresh($"{kind}_{_lines.Count}");
            _lines.Add($"    let {name} = {expression};");
            _values[node.Output[0]] = name;
        }

        private string Value(string onnxName) =>
            _values.TryGetValue(onnxName, out var name) ? name
            : _constants.ContainsKey(onnxName) ? throw new NotExpressible($"reads the constant '{onnxName}' where the language needs a computed tensor")
            : throw new NotExpressible($"reads '{onnxName}', which nothing computed") { Consequential = true };

        // An operand of arithmetic: a computed tensor, or a one-element constant written as a number.
        private string Operand(string onnxName) =>
            _constants.TryGetValue(onnxName, out var constant) && constant.Count == 1 && constant.Type == ElementType.F32
                ? Number(((float[])constant.Data)[0]) : Value(onnxName);

        private DataArray Constant(string onnxName) =>
            _constants.TryGetValue(onnxName, out var value) && value.Type == ElementType.F32 ? value
            : throw new NotExpressible($"'{onnxName}' must be a float initializer");

        private static DataArray Transposed(DataArray matrix) => WeightLayout.Linear(matrix, 0, matrix.Shape[1]);

        // ONNX's attributes and constants are float32: one that a float holds exactly is written as
        // that float's shortest text (1e-05, not 9.999999747378752e-06), which reads back the same.
        private static string Number(double value)
        {
            var text = (double)(float)value == value ? ((float)value).ToString("R", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
            return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text.Replace("E", "e", StringComparison.Ordinal) : text + ".0";
        }

        private static AttributeProto? Find(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

        private static long Int(NodeProto node, string name, long fallback) => Find(node, name)?.I ?? fallback;

        private static double Float(NodeProto node, string name, double fallback) => Find(node, name) is { } a ? a.F : fallback;

        private static long[]? Ints(NodeProto node, string name) => Find(node, name) is { } a ? [.. a.Ints] : null;

        private static string? Str(NodeProto node, string name) => Find(node, name)?.S.ToStringUtf8();
    }

    // A node the language cannot express; caught per node so that every one is reported.
    private sealed class NotExpressible(string message) : Exception(message)
    {
        // Whether the node fails only because an input's node failed before it.
        public bool Consequential { get; init; }
    }
}
