using System.Collections.Immutable;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.IR;

/// <summary>
/// Creates nodes, typing each through its op, and collects the outputs. Helpers cover the
/// compositions every lowering needs (numpy-style broadcasting, scalar constants, means).
/// </summary>
public sealed class GraphBuilder(string name)
{
    private readonly List<Node> _nodes = [];
    private readonly List<GraphOutput> _outputs = [];

    /// <summary>The layer path stamped on nodes created from now on.</summary>
    public string? Scope { get; set; }

    /// <summary>The most nodes a graph may have: far beyond real models, and a bound on runaway recursion.</summary>
    public const int MaxNodes = 250_000;

    /// <summary>The most elements (per batch item) a tensor may have: 2^40, four terabytes of f32.</summary>
    public const long MaxElements = 1L << 40;

    /// <summary>
    /// Adds a node; throws <see cref="IrTypeException"/> if the op rejects the inputs and
    /// <see cref="GraphLimitException"/> if the graph or the result would be too large.
    /// </summary>
    public Node Add(Op op, params Node[] inputs)
    {
        if (_nodes.Count >= MaxNodes)
        {
            throw new GraphLimitException($"it needs more than {MaxNodes:N0} IR nodes");
        }
        TensorType type;
        try
        {
            type = op.InferType([.. inputs.Select(i => i.Type)]);
            if (type.Shape.FixedElementCount > MaxElements)
            {
                throw new GraphLimitException($"a tensor of shape {type.Shape} would have more than 2^40 elements");
            }
        }
        catch (OverflowException)
        {
            throw new GraphLimitException($"a size computed by {op.Mnemonic} is out of range");
        }
        var node = new Node(_nodes.Count, op, [.. inputs], type, Scope);
        _nodes.Add(node);
        return node;
    }

    /// <summary>
    /// Copies every node of <paramref name="graph"/> (not its results), keeping scopes, and
    /// returns the copy of each; passes start from this to extend a graph.
    /// </summary>
    public IReadOnlyDictionary<Node, Node> Append(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var scope = Scope;
        var copies = new Dictionary<Node, Node>(graph.Nodes.Length);
        foreach (var node in graph.Nodes)
        {
            Scope = node.Scope;
            copies[node] = Add(node.Op, [.. node.Inputs.Select(i => copies[i])]);
        }
        Scope = scope;
        return copies;
    }

    /// <summary>A model input.</summary>
    public Node Input(string inputName, TensorType type) => Add(new InputOp(inputName, type));

    /// <summary>A trainable parameter.</summary>
    public Node Parameter(string parameterName, TensorType type, ParameterInit init) =>
        Add(new ParameterOp(parameterName, type, init));

    /// <summary>A persistent non-trainable tensor.</summary>
    public Node State(string stateName, TensorType type, ParameterInit init) => Add(new StateOp(stateName, type, init));

    /// <summary>A filled tensor.</summary>
    public Node Constant(double value, TensorType type) => Add(new ConstantOp(value, type));

    /// <summary>A float32 tensor shaped like <paramref name="like"/>, filled with <paramref name="value"/>.</summary>
    public Node Filled(double value, Node like) => Constant(value, TensorType.F32(like.Type.Shape));

    /// <summary>An elementwise function.</summary>
    public Node Unary(UnaryKind kind, Node x) => Add(new UnaryOp(kind), x);

    /// <summary>An elementwise combination; operands are broadcast against each other first.</summary>
    public Node Binary(BinaryKind kind, Node a, Node b)
    {
        var (x, y) = Broadcast(a, b);
        return Add(new BinaryOp(kind), x, y);
    }

    /// <summary>An elementwise combination with a constant on the right.</summary>
    public Node Binary(BinaryKind kind, Node a, double b) => Add(new BinaryOp(kind), a, Filled(b, a));

    /// <summary>An elementwise comparison, broadcasting first.</summary>
    public Node Compare(CompareKind kind, Node a, Node b)
    {
        var (x, y) = Broadcast(a, b);
        return Add(new CompareOp(kind), x, y);
    }

    /// <summary><c>cond ? a : b</c> elementwise.</summary>
    public Node Select(Node condition, Node whenTrue, Node whenFalse) => Add(new SelectOp(), condition, whenTrue, whenFalse);

    /// <summary>Changes the element type.</summary>
    public Node Cast(Node x, ElementType to) => x.Type.ElementType == to ? x : Add(new CastOp(to), x);

    /// <summary>Sums or maximises over axes (they disappear).</summary>
    public Node Reduce(ReduceKind kind, Node x, params int[] axes) =>
        axes.Length == 0 ? x : Add(new ReduceOp(kind, [.. axes]), x);

    /// <summary>The mean over axes; symbolic axes divide by their run-time size.</summary>
    public Node Mean(Node x, params int[] axes) =>
        Binary(BinaryKind.Div, Reduce(ReduceKind.Sum, x, axes), Count(x.Type.Shape, axes));

    /// <summary>The number of elements spanned by <paramref name="axes"/> of a shape, as a scalar node.</summary>
    public Node Count(Shape shape, params int[] axes)
    {
        var fixedCount = axes.Select(a => shape[a]).Where(d => d.IsFixed).Aggregate(1L, (n, d) => n * d.FixedSize);
        var symbols = axes.Select(a => shape[a]).Where(d => !d.IsFixed).Select(d => Add(new DimSizeOp(d.Symbol!))).ToList();
        var count = symbols.Count > 0 && fixedCount == 1 ? symbols[0] : Constant(fixedCount, TensorType.ScalarF32);
        foreach (var symbol in symbols.Skip(fixedCount == 1 ? 1 : 0))
        {
            count = Binary(BinaryKind.Mul, count, symbol);
        }
        return count;
    }

    /// <summary>A two-operand einsum with integer labels.</summary>
    public Node Contract(Node left, Node right, int[] leftLabels, int[] rightLabels, int[] outputLabels) =>
        Add(new ContractOp([.. leftLabels], [.. rightLabels], [.. outputLabels]), left, right);

    /// <summary>Re-views under a new shape (no-op if equal).</summary>
    public Node Reshape(Node x, Shape shape) => x.Type.Shape == shape ? x : Add(new ReshapeOp(shape), x);

    /// <summary>Reorders axes (no-op for the identity).</summary>
    public Node Permute(Node x, params int[] permutation) =>
        permutation.SequenceEqual(Enumerable.Range(0, permutation.Length)) ? x : Add(new PermuteOp([.. permutation]), x);

    /// <summary>Keeps <c>[start, end)</c> along one axis.</summary>
    public Node Slice(Node x, int axis, int start, int end) =>
        start == 0 && x.Type.Shape[axis] == Dim.Of(end) ? x : Add(new SliceOp([new AxisRange(axis, start, end)]), x);

    /// <summary>Joins along an axis.</summary>
    public Node Concat(int axis, params Node[] parts) => parts.Length == 1 ? parts[0] : Add(new ConcatOp(axis), parts);

    /// <summary>
    /// Broadcasts to <paramref name="target"/> by numpy rules: axes align on the right, size 1
    /// stretches, missing leading axes are added.
    /// </summary>
    public Node BroadcastTo(Node x, Shape target)
    {
        if (x.Type.Shape == target)
        {
            return x;
        }
        var offset = target.Rank - x.Type.Rank;
        return Add(new BroadcastOp(target, [.. Enumerable.Range(offset, x.Type.Rank)]), x);
    }

    /// <summary>The numpy broadcast of two shapes, or null when they are incompatible.</summary>
    public static Shape? BroadcastShapes(Shape a, Shape b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dim[rank];
        for (var i = 1; i <= rank; i++)
        {
            Dim? x = i <= a.Rank ? a[a.Rank - i] : null;
            Dim? y = i <= b.Rank ? b[b.Rank - i] : null;
            if (x is { } dx && y is { } dy && dx != dy && dx != Dim.Of(1) && dy != Dim.Of(1))
            {
                return null;
            }
            dims[rank - i] = x is null ? y!.Value : y is null ? x.Value : x.Value == Dim.Of(1) ? y.Value : x.Value;
        }
        return Shape.Of(dims);
    }

    /// <summary>
    /// Broadcasts the result of a reduction back over the axes it removed, so that it can be
    /// combined with the unreduced tensor of shape <paramref name="target"/>.
    /// </summary>
    public Node Unreduce(Node reduced, Shape target, params int[] removedAxes) =>
        Add(new BroadcastOp(target, [.. Enumerable.Range(0, target.Rank).Where(a => !removedAxes.Contains(a))]), reduced);

    /// <summary>Broadcasts <paramref name="x"/> so that its axes land on <paramref name="axes"/> of <paramref name="target"/>.</summary>
    public Node BroadcastAlong(Node x, Shape target, params int[] axes) =>
        x.Type.Shape == target ? x : Add(new BroadcastOp(target, [.. axes]), x);

    /// <summary>Marks a node as a named model output.</summary>
    public void Output(string outputName, Node value) => _outputs.Add(new GraphOutput(outputName, value, OutputRole.Output));

    /// <summary>Marks the scalar loss.</summary>
    public void Loss(Node value) => _outputs.Add(new GraphOutput("loss", value, OutputRole.Loss));

    /// <summary>Records the next value of a state tensor.</summary>
    public void StateUpdate(string stateName, Node value) => _outputs.Add(new GraphOutput(stateName, value, OutputRole.StateUpdate));

    /// <summary>Records the loss gradient of the input or parameter <paramref name="leafName"/>.</summary>
    public void Gradient(string leafName, Node value) => _outputs.Add(new GraphOutput(leafName, value, OutputRole.Gradient));

    /// <summary>Declares the new value of parameter <paramref name="parameterName"/> after an optimizer step.</summary>
    public void ParameterUpdate(string parameterName, Node value) => _outputs.Add(new GraphOutput(parameterName, value, OutputRole.ParameterUpdate));

    /// <summary>Adds a result of any role.</summary>
    public void Result(GraphOutput output) => _outputs.Add(output);

    /// <summary>The finished graph.</summary>
    public Graph Build() => new(name, [.. _nodes], [.. _outputs]);

    private (Node, Node) Broadcast(Node a, Node b)
    {
        if (a.Type.Shape == b.Type.Shape)
        {
            return (a, b);
        }
        var shape = BroadcastShapes(a.Type.Shape, b.Type.Shape)
            ?? throw new IrTypeException($"cannot broadcast {a.Type} and {b.Type}");
        return (BroadcastTo(a, shape), BroadcastTo(b, shape));
    }
}
