using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime.Initialization;

namespace ModelC.Compiler.Interpreter;

/// <summary>
/// Fills parameters and states from their <see cref="ParameterInit"/>, deterministically: the
/// same seed gives the same values on every machine. Each tensor draws from its own stream,
/// derived from the seed and the tensor's name, so adding or reordering parameters does not
/// change the values of the others.
/// </summary>
public static class ParameterInitializer
{
    /// <summary>
    /// A value for every <see cref="ParameterOp"/> and <see cref="StateOp"/> of the graph, by
    /// name: the dictionary <see cref="ReferenceInterpreter.Run"/> takes as its parameters.
    /// </summary>
    /// <exception cref="InvalidOperationException">A parameter or state has a symbolic dimension.</exception>
    public static Dictionary<string, HostTensor> Initialize(Graph graph, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var values = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var node in graph.Parameters.Concat(graph.States))
        {
            var (name, init) = node.Op switch
            {
                ParameterOp p => (p.Name, p.Init),
                StateOp s => (s.Name, s.Init),
                _ => throw new InvalidOperationException($"{node} is not a parameter or state"),
            };
            if (!node.Type.Shape.IsFixed)
            {
                throw new InvalidOperationException($"cannot initialise '{name}' of type {node.Type}: its shape is not fixed");
            }
            values[name] = Create(init, node.Type.Shape.Resolve(new Dictionary<string, int>()), StreamSeed(seed, name));
        }
        return values;
    }

    /// <summary>A tensor of <paramref name="shape"/> drawn from <paramref name="init"/> with a generator seeded by <paramref name="seed"/>.</summary>
    public static HostTensor Create(ParameterInit init, IReadOnlyList<int> shape, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(init);
        var data = new double[HostTensor.ElementCount(shape)];
        ParameterSampler.Fill(init.ToSpec(), data, seed);
        return HostTensor.Create(shape, data);
    }

    /// <summary>The seed of one tensor's stream (see <see cref="ParameterSampler.StreamSeed"/>).</summary>
    public static ulong StreamSeed(ulong seed, string name) => ParameterSampler.StreamSeed(seed, name);
}
