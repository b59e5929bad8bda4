using System.Collections.Immutable;
using System.Text.Json;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Interpreter;

/// <summary>A tensor recorded in a golden file: its element type, declared IR shape and value.</summary>
internal sealed record GoldenTensor(string Name, ElementType ElementType, Shape IrShape, HostTensor Value);

/// <summary>
/// One case of <c>tests/golden/primitives/</c>, written by <c>tests/golden/make_primitive_goldens.py</c>
/// (its docstring describes the format): inputs, a few IR nodes and torch's value for the last one.
/// </summary>
internal sealed class GoldenCase
{
    private readonly JsonElement[] _nodes;

    private GoldenCase(string name, string description, ImmutableArray<GoldenTensor> inputs, JsonElement[] nodes, GoldenTensor expected)
    {
        Name = name;
        Description = description;
        Inputs = inputs;
        _nodes = nodes;
        Expected = expected;
    }

    /// <summary>The folder holding the case files.</summary>
    public static string Folder => RepositoryPaths.Get("tests", "golden", "primitives");

    /// <summary>The case name (the file name without extension).</summary>
    public string Name { get; }

    /// <summary>What the case exercises.</summary>
    public string Description { get; }

    /// <summary>The graph's inputs in declaration order.</summary>
    public ImmutableArray<GoldenTensor> Inputs { get; }

    /// <summary>Torch's value of the last node.</summary>
    public GoldenTensor Expected { get; }

    /// <summary>The names of all cases, sorted.</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal);

    /// <summary>Reads one case by name.</summary>
    public static GoldenCase Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        var root = document.RootElement;
        var inputs = root.GetProperty("inputs").EnumerateArray().Select(ReadTensor).ToImmutableArray();
        var nodes = root.GetProperty("nodes").EnumerateArray().Select(n => n.Clone()).ToArray();
        return new GoldenCase(
            root.GetProperty("name").GetString()!, root.GetProperty("description").GetString()!,
            inputs, nodes, ReadTensor(root.GetProperty("expected")));
    }

    /// <summary>The inputs as the interpreter takes them.</summary>
    public Dictionary<string, HostTensor> InputValues() => Inputs.ToDictionary(i => i.Name, i => i.Value);

    /// <summary>Builds the case's graph with <see cref="GraphBuilder"/>; the last node is the output <c>out</c>.</summary>
    public Graph BuildGraph()
    {
        var builder = new GraphBuilder(Name);
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var input in Inputs)
        {
            nodes[input.Name] = builder.Input(input.Name, new TensorType(input.ElementType, input.IrShape));
        }
        Node? last = null;
        foreach (var spec in _nodes)
        {
            var args = spec.GetProperty("args").EnumerateArray().Select(a => nodes[a.GetString()!]).ToArray();
            last = AddNode(builder, spec, args);
            nodes[spec.GetProperty("name").GetString()!] = last;
        }
        builder.Output("out", last ?? throw new InvalidDataException($"{Name} has no nodes"));
        return builder.Build();
    }

    private static Node AddNode(GraphBuilder b, JsonElement spec, Node[] x)
    {
        var op = spec.GetProperty("op").GetString();
        string Text(string key) => spec.GetProperty(key).GetString()!;
        int Int(string key) => spec.GetProperty(key).GetInt32();
        ImmutableArray<int> Ints(string key) => [.. spec.GetProperty(key).EnumerateArray().Select(e => e.GetInt32())];
        T Kind<T>() where T : struct, Enum => Enum.Parse<T>(Text("kind"), ignoreCase: true);
        Shape ShapeOf(string key) => ReadShape(spec.GetProperty(key));
        TensorType TypeOf() => new(ParseElementType(Text("dtype")), ShapeOf("shape"));
        Window2d Window()
        {
            var w = Ints("window");
            return new Window2d(w[0], w[1], w[2], w[3], w[4], w[5]);
        }

        return op switch
        {
            "unary" => b.Unary(Kind<UnaryKind>(), x[0]),
            "binary" when spec.TryGetProperty("scalar", out var scalar) => b.Binary(Kind<BinaryKind>(), x[0], ReadNumber(scalar)),
            "binary" => b.Binary(Kind<BinaryKind>(), x[0], x[1]),
            "compare" => b.Compare(Kind<CompareKind>(), x[0], x[1]),
            "select" => b.Select(x[0], x[1], x[2]),
            // Raw ops rather than the builder helpers, which skip identity casts and empty reductions.
            "cast" => b.Add(new CastOp(ParseElementType(Text("to"))), x[0]),
            "reduce" => b.Add(new ReduceOp(Kind<ReduceKind>(), Ints("axes")), x[0]),
            "mean" => b.Mean(x[0], [.. Ints("axes")]),
            "contract" => b.Contract(x[0], x[1], [.. Ints("left")], [.. Ints("right")], [.. Ints("output")]),
            "reshape" => b.Add(new ReshapeOp(ShapeOf("target")), x[0]),
            "permute" => b.Add(new PermuteOp(Ints("permutation")), x[0]),
            "broadcast" => b.Add(new BroadcastOp(ShapeOf("target"), Ints("axes")), x[0]),
            "slice" => b.Add(new SliceOp([.. Triples(spec, "ranges").Select(r => new AxisRange(r[0], r[1], r[2]))]), x[0]),
            "pad" => b.Add(new PadOp([.. Triples(spec, "padding").Select(p => new AxisPadding(p[0], p[1], p[2]))], ReadNumber(spec.GetProperty("value"))), x[0]),
            "concat" => b.Add(new ConcatOp(Int("axis")), x),
            "reverse" => b.Add(new ReverseOp(Ints("axes")), x[0]),
            "unfold" => b.Add(new UnfoldOp(Window()), x[0]),
            "fold" => b.Add(new FoldOp(Window(), Int("height"), Int("width")), x[0]),
            "gather" => b.Add(new GatherOp(Int("axis")), x[0], x[1]),
            "scatter_add" => b.Add(new ScatterAddOp(Int("axis"), Int("size")), x[0], x[1]),
            "constant" => b.Constant(ReadNumber(spec.GetProperty("value")), TypeOf()),
            "iota" => b.Add(new IotaOp(Int("axis"), TypeOf())),
            "dimsize" => b.Add(new DimSizeOp(Text("symbol"))),
            _ => throw new InvalidDataException($"unknown golden op '{op}'"),
        };
    }

    private static IEnumerable<int[]> Triples(JsonElement spec, string key) =>
        spec.GetProperty(key).EnumerateArray().Select(t => t.EnumerateArray().Select(e => e.GetInt32()).ToArray());

    private static GoldenTensor ReadTensor(JsonElement element)
    {
        var shape = element.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var data = element.GetProperty("data").EnumerateArray().Select(ReadNumber).ToArray();
        var irShape = element.TryGetProperty("ir_shape", out var declared) ? ReadShape(declared) : Shape.Of(shape);
        var name = element.TryGetProperty("name", out var n) ? n.GetString()! : "expected";
        return new GoldenTensor(name, ParseElementType(element.GetProperty("dtype").GetString()!), irShape, HostTensor.Create(shape, data));
    }

    // Dimensions are ints or symbol names such as "B".
    private static Shape ReadShape(JsonElement element) =>
        Shape.Of(element.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.String ? Dim.Symbolic(d.GetString()!) : Dim.Of(d.GetInt32())));

    // Non-finite values are written as strings, which JSON numbers cannot hold.
    private static double ReadNumber(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new InvalidDataException($"bad number '{other}'"),
        }
        : element.GetDouble();

    private static ElementType ParseElementType(string name) =>
        ElementTypeNames.TryParse(name) ?? throw new InvalidDataException($"unknown dtype '{name}'");

    /// <inheritdoc/>
    public override string ToString() => Name;
}
