using ModelC.Compiler.IR;
using ModelC.Compiler.Semantics.Binding;
using ModelC.Compiler.Semantics.Diagnostics;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Semantics.Values;
using ModelC.Compiler.Text;
using ModelC.Runtime;

namespace ModelC.Compiler.Semantics.Builtins;

/// <summary>
/// What a built-in layer sees when it is applied: the graph to add nodes to, a way to create
/// its parameters and states under its scope, and checks that report shape errors at the
/// place the layer was written, phrased with the layer as written (<c>linear(256) …</c>).
/// </summary>
public sealed class LayerContext
{
    private readonly ElaborationContext _context;

    internal LayerContext(ElaborationContext context, string display, Location site)
    {
        _context = context;
        Display = display;
        Site = site;
    }

    /// <summary>The layer as written, e.g. <c>conv(16, stride = 2)</c>.</summary>
    public string Display { get; }

    /// <summary>Where the layer was written.</summary>
    public Location Site { get; }

    /// <summary>The graph under construction.</summary>
    public GraphBuilder Graph => _context.Graph;

    /// <summary>True when building the training graph.</summary>
    public bool Training => _context.Mode == ExecutionMode.Training;

    /// <summary>A trainable parameter named <c>{scope}.{name}</c>.</summary>
    public Node Parameter(string name, Shape shape, ParameterInit init) =>
        _context.Parameter(_context.Scopes.PathOf(name), TensorType.F32(shape), init);

    /// <summary>
    /// A layer's weight: initialised as its <c>init</c> argument says, or with the layer's
    /// standard initialisation when the call gives none.
    /// </summary>
    public Node Weight(BoundArguments arguments, Shape shape, ParameterInit standard) =>
        Parameter("weight", shape, arguments.Find("init")?.Value is ConfigValue init ? Initializers.For(init, shape) : standard);

    /// <summary>A persistent state tensor named <c>{scope}.{name}</c>.</summary>
    public Node State(string name, Shape shape, ParameterInit init) =>
        _context.State(_context.Scopes.PathOf(name), TensorType.F32(shape), init);

    /// <summary>The train-step count dropout masks are drawn for (an f32 scalar state of the training graph).</summary>
    public Node DropoutStep() => _context.DropoutStep();

    /// <summary>The scope path <c>{scope}.{name}</c> a tensor of this layer would have.</summary>
    public string PathOf(string name) => _context.Scopes.PathOf(name);

    /// <summary>Records the value a state tensor takes after a training step.</summary>
    public void UpdateState(Node state, Node value) => Graph.StateUpdate(((IR.Ops.StateOp)state.Op).Name, value);

    /// <summary>The result of the layer.</summary>
    public static TensorValue Result(Node node) => new(node);

    /// <summary>Reports that the input shapes do not fit (MC4001); returns null for the caller to return.</summary>
    public TensorValue? Fail(string message, string? hint = null)
    {
        _context.Report(ShapeDiagnostics.LayerShape(Site, $"{Display} {message}", hint));
        return null;
    }

    /// <summary>Reports a misuse of the symbolic batch dimension (MC4005).</summary>
    public TensorValue? FailBatch(string message)
    {
        _context.Report(ShapeDiagnostics.BatchDimension(Site, $"{Display} {message}"));
        return null;
    }

    /// <summary>Reports an element-type error (MC4003); returns null for the caller to return.</summary>
    public TensorValue? FailElementType(string message)
    {
        _context.Report(ShapeDiagnostics.ElementType(Site, $"{Display} {message}"));
        return null;
    }

    /// <summary>True if the input is float; otherwise reports MC4003.</summary>
    public bool ExpectFloat(TensorValue x)
    {
        if (x.Type.ElementType == ElementType.F32)
        {
            return true;
        }
        _context.Report(ShapeDiagnostics.ElementType(Site, $"{Display} needs f32 input, got {x.Type}"));
        return false;
    }

    /// <summary>True if the input is integer; otherwise reports MC4003.</summary>
    public bool ExpectInt(TensorValue x, string role)
    {
        if (x.Type.ElementType == ElementType.I32)
        {
            return true;
        }
        _context.Report(ShapeDiagnostics.ElementType(Site, $"{Display} needs i32 {role}, got {x.Type}"));
        return false;
    }

    /// <summary>True if the input has at least <paramref name="rank"/> dimensions; otherwise reports MC4001.</summary>
    public bool ExpectMinRank(TensorValue x, int rank, string description)
    {
        if (x.Rank >= rank)
        {
            return true;
        }
        Fail($"expects {description}, got {x.Type}");
        return false;
    }

    /// <summary>True if the input has exactly <paramref name="rank"/> dimensions; otherwise reports MC4001.</summary>
    public bool ExpectRank(TensorValue x, int rank, string description)
    {
        if (x.Rank == rank)
        {
            return true;
        }
        Fail($"expects {description}, got {x.Type}");
        return false;
    }

    /// <summary>True if the axis is a fixed dimension; otherwise reports MC4005.</summary>
    public bool ExpectFixed(TensorValue x, int axis, string purpose)
    {
        if (x.Shape[axis].IsFixed)
        {
            return true;
        }
        FailBatch($"cannot {purpose} the batch dimension of {x.Type}");
        return false;
    }

    /// <summary>The axis <paramref name="dim"/> (negative counts from the end) of <paramref name="x"/>, or null after reporting.</summary>
    public int? Axis(TensorValue x, int dim, string argument)
    {
        if (x.Shape.NormalizeAxis(dim) is { } axis)
        {
            return axis;
        }
        Fail($"has {argument} = {dim}, out of range for {x.Type}");
        return null;
    }
}
