using System.Text;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

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
        var random = new DeterministicRandom(seed);
        Func<double> draw = init switch
        {
            UniformInit u => () => Uniform(u, random.NextDouble()),
            NormalInit n => () => n.Mean + n.Std * random.NextGaussian(),
            ConstantInit c => () => c.Value,
            _ => throw new NotSupportedException($"unknown initialisation {init}"),
        };
        var data = new double[HostTensor.ElementCount(shape)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = draw();
        }
        return HostTensor.Create(shape, data);
    }

    // Rounding can carry low + (high − low)·u up to high itself; the range is half-open.
    private static double Uniform(UniformInit init, double unit)
    {
        var value = init.Low + (init.High - init.Low) * unit;
        return value >= init.High && init.High > init.Low ? Math.BitDecrement(init.High) : value;
    }

    /// <summary>The seed of one tensor's stream: the run's seed mixed with an FNV-1a hash of the UTF-8 name.</summary>
    public static ulong StreamSeed(ulong seed, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = unchecked((hash ^ b) * 0x100000001B3UL);
        }
        return DeterministicRandom.Mix(seed ^ DeterministicRandom.Mix(hash));
    }
}
