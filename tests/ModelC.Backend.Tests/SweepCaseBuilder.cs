using ModelC.Compiler.IR;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// Builds one <see cref="SweepCase"/>: a <see cref="GraphBuilder"/>, inputs named x0, x1, … with
/// random values, and a random source seeded from the case name, so that a case's values do not
/// change when cases are added or reordered.
/// </summary>
internal sealed class SweepCaseBuilder
{
    private readonly string _name;
    private readonly Dictionary<string, HostTensor> _inputs = new(StringComparer.Ordinal);

    /// <summary>Starts a case called <paramref name="name"/>.</summary>
    public SweepCaseBuilder(string name)
    {
        _name = name;
        Graph = new GraphBuilder(name);
        Random = new Random(StableHash(name));
    }

    /// <summary>The graph under construction.</summary>
    public GraphBuilder Graph { get; }

    /// <summary>The case's random source for input values.</summary>
    public Random Random { get; }

    /// <summary>Adds a fixed-shape input whose elements are drawn by <paramref name="value"/>.</summary>
    public Node Input(ElementType type, int[] shape, Func<Random, double> value) =>
        Input(type, Shape.Of(shape), shape, value);

    /// <summary>Adds an input of IR shape <paramref name="irShape"/> (which may be symbolic), fed at <paramref name="shape"/>.</summary>
    public Node Input(ElementType type, Shape irShape, int[] shape, Func<Random, double> value)
    {
        var name = "x" + _inputs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _inputs[name] = HostTensor.FromFunction(shape, _ => value(Random));
        return Graph.Input(name, new TensorType(type, irShape));
    }

    /// <summary>A float input uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public Node Floats(int[] shape, double low = -2, double high = 2) =>
        Input(ElementType.F32, shape, r => low + (high - low) * r.NextDouble());

    /// <summary>A float input of halves in [-2, 2], so that comparisons and maxima meet ties.</summary>
    public Node Halves(int[] shape) => Input(ElementType.F32, shape, r => r.Next(-4, 5) / 2.0);

    /// <summary>An i32 input uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public Node Ints(int[] shape, int low, int high) => Input(ElementType.I32, shape, r => r.Next(low, high));

    /// <summary>Finishes the case with <paramref name="outputs"/> as its outputs out0, out1, ….</summary>
    public SweepCase Build(params Node[] outputs)
    {
        for (var i = 0; i < outputs.Length; i++)
        {
            Graph.Output("out" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), outputs[i]);
        }
        return new SweepCase(_name, Graph.Build(), _inputs);
    }

    // FNV-1a: string.GetHashCode is randomised per process.
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }
        return (int)(hash & int.MaxValue);
    }
}
