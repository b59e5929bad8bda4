using System.Globalization;
using ModelC.Compiler.IR;
using ModelC.Onnx.Proto;
using ModelC.Runtime;
using ModelC.Runtime.Data;

namespace ModelC.Onnx.Export;

/// <summary>
/// Appends nodes, constants and initializers to an ONNX graph under fresh names, and builds the
/// shape tensors that symbolic dimensions need (read at run time from the graph input that has
/// the symbol).
/// </summary>
internal sealed class OnnxGraphWriter(GraphProto graph, int opset)
{
    private readonly Dictionary<string, (string Input, int Axis)> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _shapes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>The opset the graph is written for.</summary>
    public int Opset => opset;

    /// <summary>The layer path that names the nodes added next (the IR node's scope).</summary>
    public string? Scope { get; set; }

    /// <summary>Declares a graph input; its symbolic dimensions become readable by <see cref="ShapeOf"/>.</summary>
    public void Input(string name, TensorType type)
    {
        _names.Add(name);
        graph.Input.Add(ValueInfo(name, type));
        for (var axis = 0; axis < type.Rank; axis++)
        {
            if (type.Shape[axis].Symbol is { } symbol)
            {
                _symbols.TryAdd(symbol, (name, axis));
            }
        }
    }

    /// <summary>Declares a graph output computed as <paramref name="value"/>.</summary>
    public void Output(string name, string value, TensorType type)
    {
        graph.Node.Add(NewNode("Identity", [value], [name], null));
        graph.Output.Add(ValueInfo(name, type));
    }

    /// <summary>Adds a weight under its own name.</summary>
    public string Initializer(string name, DataArray value)
    {
        _names.Add(name);
        graph.Initializer.Add(OnnxTensors.ToTensor(name, value));
        return name;
    }

    /// <summary>A scalar constant of the given element type.</summary>
    public string Scalar(double value, ElementType type) => type switch
    {
        ElementType.F32 => Initializer(Fresh("c"), DataArray.Of([(float)value])),
        ElementType.I32 => Initializer(Fresh("c"), DataArray.Of([(int)value])),
        _ => Initializer(Fresh("c"), DataArray.Of([(byte)(value != 0 ? 1 : 0)])),
    };

    /// <summary>A constant int64 vector (axes, pads, fixed shapes).</summary>
    public string Int64s(params IEnumerable<long> values)
    {
        var name = Fresh("i");
        graph.Initializer.Add(OnnxTensors.Int64s(name, values));
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Add(string opType, IEnumerable<string> inputs, params IEnumerable<AttributeProto> attributes)
    {
        var output = Fresh(opType.ToLowerInvariant());
        graph.Node.Add(NewNode(opType, inputs, [output], attributes));
        return output;
    }

    /// <summary>
    /// The int64 tensor of <paramref name="shape"/>: a constant when every dimension is fixed,
    /// else a concatenation of constants and <c>Shape</c> slices of the inputs that carry the symbols.
    /// </summary>
    public string ShapeOf(Shape shape)
    {
        var key = shape.ToString();
        if (_shapes.TryGetValue(key, out var known))
        {
            return known;
        }
        string result;
        if (shape.IsFixed)
        {
            result = Int64s(shape.Dims.Select(d => (long)d.FixedSize));
        }
        else
        {
            var parts = new List<string>();
            var run = new List<long>();
            foreach (var dim in shape.Dims)
            {
                if (dim.IsFixed)
                {
                    run.Add(dim.FixedSize);
                    continue;
                }
                if (run.Count > 0)
                {
                    parts.Add(Int64s(run));
                    run = [];
                }
                parts.Add(SymbolSize(dim.Symbol!));
            }
            if (run.Count > 0)
            {
                parts.Add(Int64s(run));
            }
            result = parts.Count == 1 ? parts[0] : Add("Concat", parts, OnnxAttribute.Int("axis", 0));
        }
        _shapes[key] = result;
        return result;
    }

    /// <summary>The run-time size of a symbolic dimension as a one-element int64 tensor.</summary>
    public string SymbolSize(string symbol)
    {
        if (!_symbols.TryGetValue(symbol, out var source))
        {
            throw new OnnxExportException($"the dimension '{symbol}' is in no input, so its size is unknown to the ONNX graph");
        }
        return Add("Shape", [source.Input], OnnxAttribute.Int("start", source.Axis), OnnxAttribute.Int("end", source.Axis + 1));
    }

    /// <summary>A fresh value name with a readable prefix.</summary>
    public string Fresh(string prefix)
    {
        string name;
        do
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{_counter++}");
        }
        while (!_names.Add(name));
        return name;
    }

    private NodeProto NewNode(string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<AttributeProto>? attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Scope is null ? Fresh(opType) : Fresh($"{Scope}/{opType}") };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (attributes is not null)
        {
            node.Attribute.AddRange(attributes);
        }
        return node;
    }

    private static ValueInfoProto ValueInfo(string name, TensorType type)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in type.Shape.Dims)
        {
            shape.Dim.Add(dim.IsFixed ? new TensorShapeProto.Types.Dimension { DimValue = dim.FixedSize } : new TensorShapeProto.Types.Dimension { DimParam = dim.Symbol });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)OnnxTensors.DataTypeOf(type.ElementType), Shape = shape } },
        };
    }
}
