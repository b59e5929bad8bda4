using System.Collections.Immutable;
using System.Globalization;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// Runs a graph in double precision with naive, obviously correct implementations of the ops
/// (the <c>Reference*</c> classes beside it): the oracle that backends and autodiff are tested
/// against. Speed is not a goal; every op is a direct transcription of its documented formula,
/// and every intermediate value is kept. (Generated native code is what "kernel" means elsewhere.)
/// </summary>
public static class ReferenceInterpreter
{
    /// <summary>
    /// Evaluates every node of <paramref name="graph"/> in order. Symbolic dimensions are bound
    /// from the shapes of the given tensors; each node's result is checked against its static
    /// type under those bindings.
    /// </summary>
    /// <param name="graph">The graph; it is verified first.</param>
    /// <param name="inputs">One tensor per <see cref="InputOp"/>, by name.</param>
    /// <param name="parameters">
    /// One tensor per <see cref="ParameterOp"/> and per <see cref="StateOp"/>, by name (see
    /// <see cref="ParameterInitializer"/> when there are no trained values).
    /// </param>
    /// <exception cref="ArgumentException">
    /// A tensor is missing or unexpected, its shape does not fit the declared type (the message
    /// names the leaf and both shapes), or it holds values its element type cannot.
    /// </exception>
    /// <exception cref="InvalidOperationException">The graph is invalid, or a node cannot be evaluated (the message names it).</exception>
    public static InterpreterResult Run(
        Graph graph, IReadOnlyDictionary<string, HostTensor> inputs, IReadOnlyDictionary<string, HostTensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(parameters);
        GraphVerifier.VerifyOrThrow(graph);
        var bindings = LeafBinder.Bind(graph, inputs, parameters);

        var values = new Dictionary<Node, HostTensor>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            var arguments = node.Inputs.Select(i => values[i]).ToArray();
            HostTensor value;
            try
            {
                value = node.Op switch
                {
                    InputOp input => inputs[input.Name],
                    ParameterOp parameter => parameters[parameter.Name],
                    StateOp state => parameters[state.Name],
                    _ => Evaluate(node, arguments, bindings),
                };
                CheckResult(node, value, bindings);
            }
            catch (Exception e) when (e is InvalidOperationException or ArithmeticException)
            {
                throw new InvalidOperationException($"{Describe(node)}: {e.Message}", e);
            }
            values[node] = value;
        }
        return new InterpreterResult(graph, bindings, values);
    }

    private static HostTensor Evaluate(Node node, HostTensor[] x, IReadOnlyDictionary<string, int> bindings)
    {
        ImmutableArray<int> Resolve(Shape shape) => ResolveShape(shape, bindings);
        var type = node.Type.ElementType;
        return node.Op switch
        {
            UnaryOp op => ReferenceElementwise.Unary(op.Kind, type, x[0]),
            BinaryOp op => ReferenceElementwise.Binary(op.Kind, type, x[0], x[1]),
            CompareOp op => ReferenceElementwise.Compare(op.Kind, x[0], x[1]),
            SelectOp => ReferenceElementwise.Select(x[0], x[1], x[2]),
            CastOp op => ReferenceElementwise.Cast(op.To, x[0]),
            ReduceOp op => ReferenceReduction.Reduce(op.Kind, op.Axes, x[0]),
            ContractOp op => ReferenceContraction.Contract(op, x[0], x[1]),
            ReshapeOp op => ReferenceMovement.Reshape(Resolve(op.Target), x[0]),
            PermuteOp op => ReferenceMovement.Permute(op.Permutation, x[0]),
            BroadcastOp op => ReferenceMovement.Broadcast(Resolve(op.Target), op.Axes, x[0]),
            SliceOp op => ReferenceMovement.Slice(op.Ranges, x[0]),
            PadOp op => ReferenceMovement.Pad(op.Padding, op.Value, x[0]),
            ConcatOp op => ReferenceMovement.Concat(op.Axis, x),
            ReverseOp op => ReferenceMovement.Reverse(op.Axes, x[0]),
            UnfoldOp op => ReferenceWindows.Unfold(op.Window, x[0]),
            FoldOp op => ReferenceWindows.Fold(op.Window, op.Height, op.Width, x[0]),
            GatherOp op => ReferenceIndexing.Gather(op.Axis, x[0], x[1]),
            ScatterAddOp op => ReferenceIndexing.ScatterAdd(op.Axis, op.Size, x[0], x[1]),
            ConstantOp op => ReferenceLeaves.Constant(op.Value, Resolve(op.Type.Shape)),
            IotaOp op => ReferenceLeaves.Iota(op.Axis, Resolve(op.Type.Shape)),
            DimSizeOp op => ReferenceLeaves.DimSize(op.Symbol, bindings),
            _ => throw new InvalidOperationException($"the reference interpreter has no implementation of '{node.Op.Mnemonic}'"),
        };
    }

    private static ImmutableArray<int> ResolveShape(Shape shape, IReadOnlyDictionary<string, int> bindings)
    {
        var unbound = shape.Dims.FirstOrDefault(d => d.Symbol is { } s && !bindings.ContainsKey(s)).Symbol;
        return unbound is null
            ? [.. shape.Resolve(bindings)]
            : throw new InvalidOperationException($"needs the size of '{unbound}', which no input or parameter binds");
    }

    // The implementations derive their result shapes from their operands; agreeing with the statically
    // inferred type is a cross-check on both. Element values must also suit the element type,
    // which catches e.g. an i32 constant of 0.5.
    private static void CheckResult(Node node, HostTensor value, IReadOnlyDictionary<string, int> bindings)
    {
        var expected = ResolveShape(node.Type.Shape, bindings);
        if (!value.Shape.SequenceEqual(expected))
        {
            throw new InvalidOperationException(
                $"produced shape {HostTensor.FormatShape(value.Shape)}, but its type {node.Type} resolves to {HostTensor.FormatShape(expected)}");
        }
        var bad = ElementValues.FirstInvalid(node.Type.ElementType, value);
        if (bad >= 0)
        {
            throw new InvalidOperationException(
                $"result is {node.Type.ElementType.Name()} but element {bad} is {value.Data[bad].ToString("R", CultureInfo.InvariantCulture)}");
        }
    }

    private static string Describe(Node node) => $"%{node.Id} ({node.Op.Mnemonic})";
}
