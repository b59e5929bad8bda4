using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;
using ModelC.Runtime.Execution;

namespace ModelC.Backend.Tests;

/// <summary>
/// Multi-output fusion (<see cref="SiblingFusion"/>): an optimizer step's moment and parameter
/// updates, which read the same gradient and each other at their own element, are one kernel
/// that writes all three in place and computes the same bits as separate kernels; siblings stay
/// apart when one reads another at other elements, or when a kernel between them reads one.
/// </summary>
public sealed class SiblingFusionTests
{
    private static readonly TensorType Vector = TensorType.F32(Shape.Of(37));

    [Fact]
    public void AnAdamStepUpdatesBothMomentsAndTheParameterInOneKernelInPlace()
    {
        var graph = AdamStep();
        var plan = FusionPlanner.Plan(graph);
        var group = Assert.Single(plan.Siblings);
        Assert.Equal(["optimizer.m", "optimizer.v", "w"], group.Select(n => graph.Outputs.Single(o => ReferenceEquals(o.Value, n)).Name));
        var kernel = Assert.IsType<MapKernel>(Assert.Single(ProgramBuilder.Build(graph).Kernels));
        Assert.Equal(3, kernel.Outputs.Length);

        var compiled = ModelCompiler.Compile(graph, CpuTarget.Host);
        Assert.All(compiled.Manifest.Tensors.Where(t => t.Replaces is not null), t => Assert.True(t.InPlace, t.Name));
        using var instance = Instance(compiled);
        var gradient = FillRandom(instance, "g", seed: 3);

        instance.Run();

        // The same expressions, in the same order, in single precision.
        var m = gradient.Select(x => (0.5f * 0.9f) + (x * 0.1f)).ToArray();
        var v = gradient.Select(x => (0.25f * 0.999f) + (x * x * 0.001f)).ToArray();
        var w = m.Select((mi, i) => 1f - (mi / (MathF.Sqrt(v[i]) + 1e-8f) * 0.01f)).ToArray();
        Assert.Equal(m, instance.Floats("optimizer.m").ToArray());
        Assert.Equal(v, instance.Floats("optimizer.v").ToArray());
        Assert.Equal(w, instance.Floats("w").ToArray());
    }

    [Fact]
    public void ASiblingReadAtOtherElementsStaysInItsOwnKernel()
    {
        // b reads a both at its own element and reversed: a's value is needed at other elements.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector);
        var a = b.Unary(UnaryKind.Exp, x);
        b.Output("a", a);
        b.Output("b", b.Binary(BinaryKind.Add, b.Binary(BinaryKind.Add, a, x), b.Add(new ReverseOp([0]), a)));
        Assert.Empty(FusionPlanner.Plan(b.Build()).Siblings);
    }

    [Fact]
    public void AKernelBetweenSiblingsThatReadsTheFirstKeepsThemApart()
    {
        // a and c both read x, but the sum of a runs between them: a must be written before it.
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector);
        var a = b.Unary(UnaryKind.Exp, x);
        b.Output("a", a);
        b.Output("s", b.Reduce(ReduceKind.Sum, a, 0));
        b.Output("c", b.Unary(UnaryKind.Neg, x));
        Assert.Empty(FusionPlanner.Plan(b.Build()).Siblings);
    }

    [Fact]
    public void SiblingsThatShareAnInputAreOneKernel()
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector);
        b.Output("a", b.Unary(UnaryKind.Exp, x));
        b.Output("c", b.Unary(UnaryKind.Neg, x));
        var graph = b.Build();
        Assert.Equal(2, Assert.Single(FusionPlanner.Plan(graph).Siblings).Count);
        Assert.Single(ProgramBuilder.Build(graph).Kernels);
    }

    [Fact]
    public void SiblingsThatShareAReshapedInputAreOneKernel()
    {
        // A bias gradient summed in heads × features and merged back into features, as an
        // optimizer's moments read it: a reshape keeps each element's row-major position.
        var b = new GraphBuilder("g");
        var x = b.Reshape(b.Input("x", TensorType.F32(Shape.Of(4, 9))), Shape.Of(36));
        b.Output("a", b.Unary(UnaryKind.Exp, x));
        b.Output("c", b.Binary(BinaryKind.Mul, x, x));
        var graph = b.Build();
        Assert.Equal(2, Assert.Single(FusionPlanner.Plan(graph).Siblings).Count);
        Assert.Equal(2, Assert.IsType<MapKernel>(Assert.Single(ProgramBuilder.Build(graph).Kernels)).Outputs.Length);

        using var instance = Instance(ModelCompiler.Compile(graph, CpuTarget.Host));
        var input = Enumerable.Range(0, 36).Select(i => (i * 0.37f) - 6f).ToArray();
        input.CopyTo(instance.Floats("x"));

        instance.Run();

        Assert.Equal(input.Select(v => v * v), instance.Floats("c").ToArray());
        // The backend's exp is its own approximation: within a few units in the last place.
        var a = instance.Floats("a").ToArray();
        Assert.All(input.Select((v, i) => (Expected: MathF.Exp(v), Actual: a[i])),
            p => Assert.True(MathF.Abs(p.Actual - p.Expected) <= 1e-6f * p.Expected, $"exp: {p.Actual} for {p.Expected}"));
    }

    [Fact]
    public void AMemberOnlyItsSiblingsReadIsAValueWithoutABuffer()
    {
        var graph = SharedValue(storeIt: false);
        var plan = FusionPlanner.Plan(graph);
        var a = graph.Nodes.Single(n => n.Op is BinaryOp { Kind: BinaryKind.Add });
        Assert.Contains(a, Assert.Single(plan.Siblings));
        Assert.DoesNotContain(a, plan.Materialized);
        var program = ProgramBuilder.Build(graph);
        var kernel = Assert.IsType<MapKernel>(Assert.Single(program.Kernels));
        Assert.Equal(["b", "c"], kernel.Outputs.Select(o => o.Name));
        Assert.Equal(["x", "b", "c"], program.Buffers.Select(buffer => buffer.Name));
    }

    [Fact]
    public void AMemberAResultReadsStaysStored()
    {
        var graph = SharedValue(storeIt: true);
        Assert.Equal(3, Assert.IsType<MapKernel>(Assert.Single(ProgramBuilder.Build(graph).Kernels)).Outputs.Length);
    }

    [Fact]
    public void AKernelWithAValueOnlyMemberComputesItsResultsExactly()
    {
        using var instance = Instance(ModelCompiler.Compile(SharedValue(storeIt: false), CpuTarget.Host));
        var input = FillRandom(instance, "x", seed: 5);

        instance.Run();

        // The same expressions, in the same order, in single precision.
        var a = input.Select(xi => (xi * 3f) + 1f).ToArray();
        Assert.Equal(a.Select(ai => ai * ai), instance.Floats("b").ToArray());
        Assert.Equal(a.Select((ai, i) => ai - input[i]), instance.Floats("c").ToArray());
    }

    // a = 3x + 1, read at its own element by b = a·a and c = a − x (and a graph result when storeIt).
    // One thread, no symbols; the instance owns the kernels.
    private static ModelInstance Instance(CompiledProgram compiled) =>
        new(compiled.Manifest, compiled.Kernels, new Dictionary<string, int>(), new ModelOptions(1), ownsKernels: true);

    // Fills the named tensor with uniform values in [-0.5, 0.5) and returns a copy of them.
    private static float[] FillRandom(ModelInstance instance, string name, int seed)
    {
        var random = new Random(seed);
        var values = instance.Floats(name);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle() - 0.5f;
        }
        return values.ToArray();
    }

    private static Graph SharedValue(bool storeIt)
    {
        var b = new GraphBuilder("g");
        var x = b.Input("x", Vector);
        var a = b.Binary(BinaryKind.Add, b.Binary(BinaryKind.Mul, x, 3), 1);
        if (storeIt)
        {
            b.Output("a", a);
        }
        b.Output("b", b.Binary(BinaryKind.Mul, a, a));
        b.Output("c", b.Binary(BinaryKind.Sub, a, x));
        return b.Build();
    }

    // m ← 0.9·m + 0.1·g, v ← 0.999·v + 0.001·g², w ← w − (m / (√v + 1e-8))·0.01, each a graph result.
    private static Graph AdamStep()
    {
        var b = new GraphBuilder("Adam");
        var g = b.Input("g", Vector);
        var w = b.Parameter("w", Vector, new ConstantInit(1));
        var m = b.State("optimizer.m", Vector, new ConstantInit(0.5));
        var v = b.State("optimizer.v", Vector, new ConstantInit(0.25));
        var m2 = b.Binary(BinaryKind.Add, b.Binary(BinaryKind.Mul, m, 0.9), b.Binary(BinaryKind.Mul, g, 0.1));
        var v2 = b.Binary(BinaryKind.Add, b.Binary(BinaryKind.Mul, v, 0.999), b.Binary(BinaryKind.Mul, b.Binary(BinaryKind.Mul, g, g), 0.001));
        var step = b.Binary(BinaryKind.Mul, b.Binary(BinaryKind.Div, m2, b.Binary(BinaryKind.Add, b.Unary(UnaryKind.Sqrt, v2), 1e-8)), 0.01);
        b.StateUpdate("optimizer.m", m2);
        b.StateUpdate("optimizer.v", v2);
        b.ParameterUpdate("w", b.Binary(BinaryKind.Sub, w, step));
        return b.Build();
    }
}
