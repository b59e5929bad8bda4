using Google.Protobuf;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Onnx.Proto;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Export;

/// <summary>
/// Writes a model's inference graph as an ONNX model: its inputs (symbolic dimensions as named
/// ONNX dimensions), its outputs, its parameters and states as initializers under their ModelC
/// names, and one ONNX op per layer where <see cref="CompositePatterns"/> recognises the layer,
/// else per IR primitive (<see cref="PrimitiveTranslator"/>). Only what the outputs need is written.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The opset written by default: 17, the newest that PyTorch 1.13's exporter and older ONNX Runtimes read, and the first with LayerNormalization.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The oldest opset the exporter can write (Shape's start and end attributes).</summary>
    public const int MinimumOpset = 15;

    /// <summary>The newest opset the exporter writes.</summary>
    public const int MaximumOpset = 21;

    /// <summary>
    /// Exports <paramref name="model"/>, which must be elaborated for inference, with the given
    /// weights (every parameter and state by name).
    /// </summary>
    /// <exception cref="OnnxExportException">A weight is missing or of the wrong shape, or an op has no ONNX form (the message names the op and its layer's line).</exception>
    public static ModelProto Export(ElaboratedModel model, IReadOnlyDictionary<string, DataArray> weights, int opset = DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Export(model.Graph, weights, opset, scope => model.Scopes.DescendantsAndSelf().FirstOrDefault(s => s.Path == scope)?.Site?.ToString());
    }

    /// <summary>Exports a graph's forward outputs; <paramref name="siteOf"/> says where a layer's scope was written, for messages.</summary>
    /// <exception cref="OnnxExportException">A weight is missing or of the wrong shape, or an op has no ONNX form.</exception>
    public static ModelProto Export(Graph graph, IReadOnlyDictionary<string, DataArray> weights, int opset = DefaultOpset, Func<string, string?>? siteOf = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(weights);
        if (opset is < MinimumOpset or > MaximumOpset)
        {
            throw new OnnxExportException($"opset {opset} is not supported: choose one from {MinimumOpset} to {MaximumOpset}");
        }
        var outputs = graph.Outputs.Where(o => o.Role == OutputRole.Output).ToList();
        var proto = new GraphProto { Name = graph.Name };
        var writer = new OnnxGraphWriter(proto, opset);
        foreach (var input in graph.Inputs)
        {
            writer.Input(((InputOp)input.Op).Name, input.Type);
        }
        var composites = Plan(graph, outputs, opset);
        var translator = new PrimitiveTranslator(writer);
        var values = new Dictionary<Node, ExportedValue>();
        foreach (var node in graph.Nodes.Where(composites.ContainsKey))
        {
            writer.Scope = node.Scope;
            try
            {
                values[node] = Write(node, composites[node], values, writer, translator, weights);
            }
            catch (OnnxExportException e)
            {
                var where = node.Scope is { } scope ? $" in layer '{scope}'{(siteOf?.Invoke(scope) is { } site ? $" ({site})" : "")}" : "";
                throw new OnnxExportException($"{node.Op.Mnemonic}{where}: {e.Message}");
            }
        }
        writer.Scope = null;
        foreach (var output in outputs)
        {
            writer.Output(output.Name, translator.Full(output.Value, values[output.Value]), output.Value.Type);
        }
        var model = new ModelProto { IrVersion = 8, ProducerName = "modelc", Graph = proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>.</summary>
    public static void Save(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        File.WriteAllBytes(path, model.ToByteArray());
    }

    // Walks back from the outputs: every node the outputs need, with the composite it roots (or null).
    private static Dictionary<Node, Composite?> Plan(Graph graph, IEnumerable<GraphOutput> outputs, int opset)
    {
        var needed = outputs.Select(o => o.Value).ToHashSet();
        var plan = new Dictionary<Node, Composite?>();
        for (var i = graph.Nodes.Length - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            if (!needed.Contains(node))
            {
                continue;
            }
            var composite = CompositePatterns.Match(node, opset);
            plan[node] = composite;
            needed.UnionWith(composite?.Inputs ?? node.Inputs);
        }
        return plan;
    }

    private static ExportedValue Write(Node node, Composite? composite, Dictionary<Node, ExportedValue> values, OnnxGraphWriter writer,
        PrimitiveTranslator translator, IReadOnlyDictionary<string, DataArray> weights)
    {
        switch (node.Op)
        {
            case InputOp input:
                return new(input.Name, node.Type.Shape.Dims);
            case ParameterOp or StateOp:
                var name = node.Op is ParameterOp p ? p.Name : ((StateOp)node.Op).Name;
                if (!weights.TryGetValue(name, out var weight))
                {
                    throw new OnnxExportException($"no value for the weight '{name}'");
                }
                if (weight.Type != node.Type.ElementType || !weight.Shape.SequenceEqual(node.Type.Shape.Dims.Select(d => d.FixedSize)))
                {
                    throw new OnnxExportException($"the weight '{name}' is {weight.Type}[{string.Join(",", weight.Shape)}] but the model needs {node.Type}");
                }
                return new(writer.Initializer(name, weight), node.Type.Shape.Dims);
        }
        if (composite is not null)
        {
            var inputs = composite.Inputs.Select(i => translator.Full(i, values[i])).ToList();
            return new(composite.Write(writer, inputs), node.Type.Shape.Dims);
        }
        return translator.Translate(node, [.. node.Inputs.Select(i => values[i])]);
    }
}
