using ModelC.Onnx.Proto;

namespace ModelC.Onnx.Import;

/// <summary>
/// The shapes of an ONNX graph's tensors and the values of its shape arithmetic (Shape, Gather,
/// Concat… on int64 vectors) in terms of the batch, computed on demand from the graph alone.
/// PyTorch's exporter computes reshape targets at run time from <c>Shape</c> nodes; with the
/// input shapes static but for the batch they come out as <see cref="SymbolicDim"/>s, so a pattern
/// can check that a reshape splits heads as it expects. A value that cannot be followed (an op
/// not covered, a second symbolic dimension) is null: nothing is guessed.
/// </summary>
internal sealed class GraphShapes
{
    private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorProto> _initializers;
    private readonly Dictionary<string, IReadOnlyList<SymbolicDim>?> _dims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<SymbolicDim>?> _values = new(StringComparer.Ordinal);

    public GraphShapes(GraphProto graph)
    {
        _initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (var output in node.Output)
            {
                _producers[output] = node;
            }
        }
        // One named dimension is the batch; with several, which one a reshape uses is not followed.
        var symbols = graph.Input.SelectMany(i => i.Type.TensorType.Shape.Dim).Where(d => d.DimParam.Length > 0).Select(d => d.DimParam).Distinct().Count();
        foreach (var input in graph.Input.Where(i => !_initializers.ContainsKey(i.Name)))
        {
            var dims = input.Type.TensorType.Shape.Dim.Select(d =>
                d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? SymbolicDim.Of(d.DimValue)
                : symbols == 1 ? SymbolicDim.Batch : (SymbolicDim?)null).ToList();
            _dims[input.Name] = dims.All(d => d is not null) ? [.. dims.Select(d => d!.Value)] : null;
        }
    }

    /// <summary>The node that computes <paramref name="value"/>, if a node does.</summary>
    public NodeProto? Producer(string value) => _producers.GetValueOrDefault(value);

    /// <summary>The dimensions of a tensor, or null where they cannot be followed.</summary>
    public IReadOnlyList<SymbolicDim>? Dims(string value)
    {
        if (!_dims.TryGetValue(value, out var dims))
        {
            dims = _initializers.TryGetValue(value, out var tensor) ? [.. tensor.Dims.Select(SymbolicDim.Of)]
                : _producers.TryGetValue(value, out var node) ? DimsOf(node) : null;
            _dims[value] = dims;
        }
        return dims;
    }

    /// <summary>The elements of an integer tensor of rank 0 or 1 (a shape, an index), or null where they cannot be followed.</summary>
    public IReadOnlyList<SymbolicDim>? Values(string value)
    {
        if (!_values.TryGetValue(value, out var values))
        {
            values = _initializers.TryGetValue(value, out var tensor) ? Integers(tensor)
                : _producers.TryGetValue(value, out var node) ? ValuesOf(node) : null;
            _values[value] = values;
        }
        return values;
    }

    /// <summary>The elements of an integer tensor when none depends on the batch.</summary>
    public long[]? StaticValues(string value) =>
        Values(value) is { } values && values.All(v => v.IsStatic) ? [.. values.Select(v => v.Factor)] : null;

    private IReadOnlyList<SymbolicDim>? DimsOf(NodeProto node)
    {
        var input = node.Input.Count > 0 ? Dims(node.Input[0]) : null;
        switch (node.OpType)
        {
            case "Constant":
                return Attribute(node, "value") is { T: { } t } ? [.. t.Dims.Select(SymbolicDim.Of)] : null;
            case "Identity" or "Dropout" or "Relu" or "Tanh" or "Sigmoid" or "Erf" or "Sqrt" or "Neg" or "Softmax" or "LogSoftmax"
                or "LayerNormalization" or "BatchNormalization" or "Cast":
                return input;
            case "Add" or "Sub" or "Mul" or "Div" or "Pow":
                return input is null || Dims(node.Input[1]) is not { } other ? null : Broadcast(input, other);
            case "Transpose":
                var perm = Attribute(node, "perm")?.Ints.ToArray();
                return input is null ? null : perm is null ? [.. input.Reverse()] : perm.Length == input.Count ? [.. perm.Select(p => input[(int)p])] : null;
            case "MatMul":
                return input is { Count: >= 2 } && Dims(node.Input[1]) is { Count: >= 2 } right && input[^1] == right[^2]
                    && Broadcast(input.Take(input.Count - 2).ToList(), right.Take(right.Count - 2).ToList()) is { } batch
                    ? [.. batch, input[^2], right[^1]] : null;
            case "Gemm":
                var transA = Attribute(node, "transA")?.I == 1;
                var transB = Attribute(node, "transB")?.I == 1;
                return input is { Count: 2 } && Dims(node.Input[1]) is { Count: 2 } weight ? [input[transA ? 1 : 0], weight[transB ? 0 : 1]] : null;
            case "Reshape":
                return input is null || Values(node.Input[1]) is not { } target ? null : Reshaped(input, target, Attribute(node, "allowzero")?.I == 1);
            case "Slice":
                return input is null ? null : Sliced(node, input);
            case "ReduceMean" or "ReduceSum" or "ReduceMax":
                return input is null ? null : Reduced(node, input);
            default:
                return null;
        }
    }

    // A reduction over its axes (an attribute, or from opset 18 an input), keeping them as 1 or dropping them.
    private IReadOnlyList<SymbolicDim>? Reduced(NodeProto node, IReadOnlyList<SymbolicDim> input)
    {
        var axes = Attribute(node, "axes")?.Ints.ToArray() ?? (node.Input.Count > 1 && node.Input[1].Length > 0 ? StaticValues(node.Input[1]) : null);
        if (axes is null)
        {
            return null;
        }
        var reduced = axes.Select(a => Normalized(a, input.Count)).ToHashSet();
        var keep = Attribute(node, "keepdims")?.I != 0;
        return [.. input.Select((d, i) => reduced.Contains(i) ? keep ? SymbolicDim.Of(1) : (SymbolicDim?)null : d).Where(d => d is not null).Select(d => d!.Value)];
    }

    private IReadOnlyList<SymbolicDim>? ValuesOf(NodeProto node)
    {
        switch (node.OpType)
        {
            case "Constant":
                return Attribute(node, "value") is { T: { } t } ? Integers(t) : null;
            case "Shape":
                if (Dims(node.Input[0]) is not { } dims)
                {
                    return null;
                }
                var start = Normalized(Attribute(node, "start")?.I ?? 0, dims.Count);
                var end = Normalized(Attribute(node, "end")?.I ?? dims.Count, dims.Count);
                return [.. dims.Skip((int)start).Take((int)Math.Max(0, end - start))];
            case "Cast" or "Squeeze" or "Unsqueeze" or "Identity":
                // Rank 0 and rank 1 with one element are not told apart: only the values matter.
                return Values(node.Input[0]);
            case "Gather":
                return Attribute(node, "axis")?.I is null or 0 && Values(node.Input[0]) is { } data && StaticValues(node.Input[1]) is { } indices
                    && indices.All(i => i >= -data.Count && i < data.Count)
                    ? [.. indices.Select(i => data[(int)Normalized(i, data.Count)])] : null;
            case "Concat":
                var parts = node.Input.Select(Values).ToList();
                return parts.All(p => p is not null) ? [.. parts.SelectMany(p => p!)] : null;
            case "Add" or "Sub" or "Mul" or "Div":
                return Values(node.Input[0]) is { } a && Values(node.Input[1]) is { } b ? Elementwise(node.OpType, a, b) : null;
            case "Slice" when Values(node.Input[0]) is { } vector && Sliced(node, [SymbolicDim.Of(vector.Count)]) is [{ IsStatic: true } length]:
                var first = Math.Clamp(Normalized(StaticValues(node.Input[1])![0], vector.Count), 0, vector.Count);
                var step = node.Input.Count > 4 ? StaticValues(node.Input[4])![0] : 1;
                return [.. Enumerable.Range(0, (int)length.Factor).Select(i => vector[(int)(first + i * step)])];
            default:
                return null;
        }
    }

    private static IReadOnlyList<SymbolicDim>? Elementwise(string op, IReadOnlyList<SymbolicDim> a, IReadOnlyList<SymbolicDim> b)
    {
        if (a.Count != b.Count && a.Count != 1 && b.Count != 1)
        {
            return null;
        }
        var result = new List<SymbolicDim>();
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            var (x, y) = (a[a.Count == 1 ? 0 : i], b[b.Count == 1 ? 0 : i]);
            SymbolicDim? value = op switch
            {
                "Add" => SymbolicDim.Add(x, y),
                "Sub" => SymbolicDim.Subtract(x, y),
                "Mul" => SymbolicDim.Multiply(x, y),
                _ => SymbolicDim.Divide(x, y),
            };
            if (value is null)
            {
                return null;
            }
            result.Add(value.Value);
        }
        return result;
    }

    // Numpy broadcasting; a dimension of 1 stretches, other unequal pairs do not broadcast.
    private static IReadOnlyList<SymbolicDim>? Broadcast(IReadOnlyList<SymbolicDim> a, IReadOnlyList<SymbolicDim> b)
    {
        var rank = Math.Max(a.Count, b.Count);
        var result = new SymbolicDim[rank];
        for (var i = 1; i <= rank; i++)
        {
            var x = i <= a.Count ? a[^i] : SymbolicDim.Of(1);
            var y = i <= b.Count ? b[^i] : SymbolicDim.Of(1);
            if (x != y && x != SymbolicDim.Of(1) && y != SymbolicDim.Of(1))
            {
                return null;
            }
            result[rank - i] = x == SymbolicDim.Of(1) ? y : x;
        }
        return result;
    }

    // ONNX Reshape: 0 copies the input's dimension (unless allowzero), −1 takes what is left.
    private static IReadOnlyList<SymbolicDim>? Reshaped(IReadOnlyList<SymbolicDim> input, IReadOnlyList<SymbolicDim> target, bool allowZero)
    {
        var dims = target.Select((d, i) => !allowZero && d == SymbolicDim.Of(0) && i < input.Count ? input[i] : d).ToList();
        var free = dims.FindIndex(d => d == SymbolicDim.Of(-1));
        var total = input.Aggregate(SymbolicDim.Of(1), SymbolicDim.Multiply);
        if (free >= 0)
        {
            var known = dims.Where((_, i) => i != free).Aggregate(SymbolicDim.Of(1), SymbolicDim.Multiply);
            if (SymbolicDim.Divide(total, known) is not { } rest)
            {
                return null;
            }
            dims[free] = rest;
        }
        return dims.Aggregate(SymbolicDim.Of(1), SymbolicDim.Multiply) == total ? dims : null;
    }

    // ONNX Slice with constant starts, ends, axes and steps; only static dimensions are cut.
    private IReadOnlyList<SymbolicDim>? Sliced(NodeProto node, IReadOnlyList<SymbolicDim> input)
    {
        var starts = StaticValues(node.Input[1]);
        var ends = StaticValues(node.Input[2]);
        var axes = node.Input.Count > 3 && node.Input[3].Length > 0 ? StaticValues(node.Input[3]) : starts is null ? null : [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        var steps = node.Input.Count > 4 && node.Input[4].Length > 0 ? StaticValues(node.Input[4]) : starts?.Select(_ => 1L).ToArray();
        if (starts is null || ends is null || axes is null || steps is null || new[] { ends.Length, axes.Length, steps.Length }.Any(n => n != starts.Length))
        {
            return null;
        }
        var dims = input.ToArray();
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = (int)Normalized(axes[i], input.Count);
            if (axis < 0 || axis >= input.Count || !input[axis].IsStatic || steps[i] <= 0)
            {
                return null;
            }
            var size = input[axis].Factor;
            var start = Math.Clamp(starts[i] < 0 ? starts[i] + size : starts[i], 0, size);
            var end = Math.Clamp(ends[i] < 0 ? ends[i] + size : ends[i], 0, size);
            dims[axis] = SymbolicDim.Of(Math.Max(0, (end - start + steps[i] - 1) / steps[i]));
        }
        return dims;
    }

    // int64 read as such: PyTorch writes "to the end" as 2⁶³ − 1.
    private static IReadOnlyList<SymbolicDim>? Integers(TensorProto tensor)
    {
        var raw = tensor.RawData.Span;
        IEnumerable<long>? values = (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Int64 => raw.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(raw).ToArray() : tensor.Int64Data,
            TensorProto.Types.DataType.Int32 => raw.Length > 0 ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(raw).ToArray().Select(v => (long)v) : tensor.Int32Data.Select(v => (long)v),
            _ => null,
        };
        return values is not null && tensor.Dims.Count <= 1 ? [.. values.Select(SymbolicDim.Of)] : null;
    }

    private static long Normalized(long index, int count) => index < 0 ? index + count : index;

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
}
