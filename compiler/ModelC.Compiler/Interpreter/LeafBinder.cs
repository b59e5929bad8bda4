using System.Globalization;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// Matches the caller's tensors to the graph's inputs, parameters and states: every leaf gets
/// exactly one tensor, each tensor's shape fits the declared type, and each symbolic dimension
/// (e.g. the batch <c>B</c>) gets one size, taken from the first leaf that uses it.
/// </summary>
internal static class LeafBinder
{
    /// <summary>Checks the tensors against the graph and returns the size bound to each symbol.</summary>
    /// <exception cref="ArgumentException">A tensor is missing, unexpected, misshapen or holds values its element type cannot.</exception>
    public static Dictionary<string, int> Bind(
        Graph graph, IReadOnlyDictionary<string, HostTensor> inputs, IReadOnlyDictionary<string, HostTensor> parameters)
    {
        var inputLeaves = graph.Inputs.Select(n => (Kind: "input", Name: ((InputOp)n.Op).Name, n.Type)).ToList();
        var parameterLeaves = graph.Parameters.Select(n => (Kind: "parameter", Name: ((ParameterOp)n.Op).Name, n.Type))
            .Concat(graph.States.Select(n => (Kind: "state", Name: ((StateOp)n.Op).Name, n.Type)))
            .ToList();
        var clash = parameterLeaves.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new ArgumentException(
                $"graph {graph.Name} has a parameter and a state both named '{clash.Key}', which one dictionary cannot tell apart", nameof(graph));
        }
        CheckNames(inputLeaves, inputs, "input", nameof(inputs));
        CheckNames(parameterLeaves, parameters, "parameter or state", nameof(parameters));

        var bindings = new Dictionary<string, int>(StringComparer.Ordinal);
        var boundBy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (kind, name, type) in inputLeaves)
        {
            BindOne(kind, name, type, inputs[name], bindings, boundBy, nameof(inputs));
        }
        foreach (var (kind, name, type) in parameterLeaves)
        {
            BindOne(kind, name, type, parameters[name], bindings, boundBy, nameof(parameters));
        }
        return bindings;
    }

    private static void CheckNames(
        List<(string Kind, string Name, TensorType Type)> declared, IReadOnlyDictionary<string, HostTensor> given,
        string what, string parameterName)
    {
        var problems = new List<string>();
        problems.AddRange(declared.Where(l => !given.ContainsKey(l.Name)).Select(l => $"missing {l.Kind} '{l.Name}' of type {l.Type}"));
        var known = declared.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var expected = declared.Count == 0 ? "none" : string.Join(", ", declared.Select(l => l.Name));
        problems.AddRange(given.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal)
            .Select(k => $"unexpected {what} '{k}' (the graph's are: {expected})"));
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), parameterName);
        }
    }

    private static void BindOne(
        string kind, string name, TensorType type, HostTensor value,
        Dictionary<string, int> bindings, Dictionary<string, string> boundBy, string parameterName)
    {
        var declared = type.Shape;
        var actual = HostTensor.FormatShape(value.Shape);
        string Mismatch(string why) => $"{kind} '{name}' has shape {actual} but its declared type is {type}{why}";

        if (value.Rank != declared.Rank)
        {
            throw new ArgumentException(Mismatch($" (rank {value.Rank}, expected {declared.Rank})"), parameterName);
        }
        for (var axis = 0; axis < declared.Rank; axis++)
        {
            var dim = declared[axis];
            var size = value.Shape[axis];
            if (dim.Symbol is not { } symbol)
            {
                if (dim.FixedSize != size)
                {
                    throw new ArgumentException(Mismatch($" (axis {axis} is {size}, expected {dim.FixedSize})"), parameterName);
                }
            }
            else if (bindings.TryGetValue(symbol, out var bound))
            {
                if (bound != size)
                {
                    throw new ArgumentException(
                        Mismatch($" (axis {axis} is {size}, but {symbol} = {bound} from {boundBy[symbol]})"), parameterName);
                }
            }
            else
            {
                bindings[symbol] = size;
                boundBy[symbol] = $"{kind} '{name}'";
            }
        }
        CheckValues(kind, name, type.ElementType, value, parameterName);
    }

    // An i32 tensor must hold integers in range and a bool tensor 0s and 1s, or the op
    // implementations, which rely on that, would silently compute something else.
    private static void CheckValues(string kind, string name, ElementType dtype, HostTensor value, string parameterName)
    {
        var bad = ElementValues.FirstInvalid(dtype, value);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"{kind} '{name}' is {dtype.Name()} but element {bad} is {value.Data[bad].ToString("R", CultureInfo.InvariantCulture)}", parameterName);
        }
    }
}
