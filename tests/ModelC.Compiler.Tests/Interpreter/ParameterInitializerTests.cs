using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Runtime.Initialization;

namespace ModelC.Compiler.Tests.Interpreter;

/// <summary><see cref="ParameterInitializer"/> and <see cref="DeterministicRandom"/>: reproducible, and distributed as declared.</summary>
public sealed class ParameterInitializerTests
{
    private const int Samples = 200_000;

    /// <summary>The generator is SplitMix64: its published first outputs for seed 0.</summary>
    [Fact]
    public void GeneratorIsSplitMix64()
    {
        var random = new DeterministicRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    /// <summary>Same seed, same values; another seed, other values.</summary>
    [Fact]
    public void SameSeedSameValues()
    {
        var graph = Model();
        var first = ParameterInitializer.Initialize(graph, 42);
        var again = ParameterInitializer.Initialize(graph, 42);
        var other = ParameterInitializer.Initialize(graph, 43);
        Assert.Equal(["b", "running", "w"], first.Keys.Order(StringComparer.Ordinal));
        foreach (var name in first.Keys)
        {
            Assert.Equal(first[name].ToArray(), again[name].ToArray());
        }
        Assert.NotEqual(first["w"].ToArray(), other["w"].ToArray());
    }

    /// <summary>Each tensor has its own stream: same-shaped tensors differ, and adding a parameter leaves the others alone.</summary>
    [Fact]
    public void StreamsAreIndependentOfOtherParameters()
    {
        var a = new GraphBuilder("a");
        var w = a.Parameter("w", TensorType.F32(Shape.Of(4, 4)), new NormalInit(0, 1));
        var v = a.Parameter("v", TensorType.F32(Shape.Of(4, 4)), new NormalInit(0, 1));
        a.Output("y", a.Binary(IR.Ops.BinaryKind.Add, w, v));
        var b = new GraphBuilder("b");
        var extra = b.Parameter("extra", TensorType.F32(Shape.Of(7)), new UniformInit(0, 1));
        var w2 = b.Parameter("w", TensorType.F32(Shape.Of(4, 4)), new NormalInit(0, 1));
        b.Output("y", w2);
        b.Output("z", extra);

        var fromA = ParameterInitializer.Initialize(a.Build(), 7);
        var fromB = ParameterInitializer.Initialize(b.Build(), 7);
        Assert.NotEqual(fromA["w"].ToArray(), fromA["v"].ToArray());
        Assert.Equal(fromA["w"].ToArray(), fromB["w"].ToArray());
    }

    /// <summary>Uniform draws stay in [low, high) with the mean and spread of that distribution.</summary>
    [Fact]
    public void UniformHasTheRightRangeAndMoments()
    {
        var values = ParameterInitializer.Create(new UniformInit(-0.1, 0.3), [Samples], 1).ToArray();
        Assert.All(values, v => Assert.InRange(v, -0.1, Math.BitDecrement(0.3)));
        var (mean, std) = Moments(values);
        Assert.InRange(mean, 0.1 - 0.002, 0.1 + 0.002);
        Assert.InRange(std, 0.4 / Math.Sqrt(12) * 0.99, 0.4 / Math.Sqrt(12) * 1.01);
        // Each tenth of the range gets about a tenth of the draws.
        var deciles = values.GroupBy(v => Math.Min(9, (int)((v + 0.1) / 0.04))).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(10, deciles.Count);
        Assert.All(deciles.Values, n => Assert.InRange(n, Samples / 10 * 0.97, Samples / 10 * 1.03));
    }

    /// <summary>Normal draws have the declared mean and deviation, and a bell shape (68% within one σ, 95% within two).</summary>
    [Fact]
    public void NormalHasTheRightMomentsAndShape()
    {
        var values = ParameterInitializer.Create(new NormalInit(0.5, 2.0), [Samples], 2).ToArray();
        var (mean, std) = Moments(values);
        Assert.InRange(mean, 0.5 - 0.03, 0.5 + 0.03);
        Assert.InRange(std, 2.0 * 0.98, 2.0 * 1.02);
        double Within(double sigmas) => values.Count(v => Math.Abs(v - 0.5) <= sigmas * 2.0) / (double)Samples;
        Assert.InRange(Within(1), 0.6827 - 0.01, 0.6827 + 0.01);
        Assert.InRange(Within(2), 0.9545 - 0.005, 0.9545 + 0.005);
    }

    /// <summary>Constant initialisation fills every element.</summary>
    [Fact]
    public void ConstantFills()
    {
        var tensor = ParameterInitializer.Create(new ConstantInit(0.25), [2, 3], 0);
        Assert.Equal([2, 3], tensor.Shape.ToArray());
        Assert.All(tensor.ToArray(), v => Assert.Equal(0.25, v));
    }

    /// <summary>The initialised values have the declared shapes and feed the interpreter directly.</summary>
    [Fact]
    public void InitialisedValuesRunTheGraph()
    {
        var graph = Model();
        var parameters = ParameterInitializer.Initialize(graph, 3);
        Assert.Equal([2, 3], parameters["w"].Shape.ToArray());
        Assert.All(parameters["b"].ToArray(), v => Assert.Equal(0.1, v));
        var result = ReferenceInterpreter.Run(graph, new Dictionary<string, HostTensor> { ["x"] = HostTensor.Zeros([4, 3]) }, parameters);
        Assert.Equal([4, 2], result.Outputs["y"].Shape.ToArray());
    }

    /// <summary>A parameter whose shape is symbolic cannot be initialised.</summary>
    [Fact]
    public void SymbolicParameterIsRejected()
    {
        var builder = new GraphBuilder("bad");
        builder.Output("p", builder.Parameter("p", TensorType.F32(Shape.Of([Dim.Symbolic("B")])), new ConstantInit(0)));
        var error = Assert.Throws<InvalidOperationException>(() => ParameterInitializer.Initialize(builder.Build(), 0));
        Assert.Contains("'p'", error.Message);
    }

    private static Graph Model()
    {
        var builder = new GraphBuilder("model");
        var x = builder.Input("x", TensorType.F32(Shape.Of([Dim.Symbolic("B"), 3])));
        var w = builder.Parameter("w", TensorType.F32(Shape.Of(2, 3)), new UniformInit(-0.5, 0.5));
        var b = builder.Parameter("b", TensorType.F32(Shape.Of(2)), new ConstantInit(0.1));
        var running = builder.State("running", TensorType.F32(Shape.Of(2)), new NormalInit(0, 1));
        var y = builder.Binary(IR.Ops.BinaryKind.Add, builder.Contract(x, w, [0, 1], [2, 1], [0, 2]), b);
        builder.Output("y", y);
        builder.StateUpdate("running", builder.Binary(IR.Ops.BinaryKind.Mul, running, 0.5));
        return builder.Build();
    }

    private static (double Mean, double Std) Moments(double[] values)
    {
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)));
    }
}
