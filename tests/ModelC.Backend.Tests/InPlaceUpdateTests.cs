using ModelC.Backend.Cpu;
using ModelC.Backend.Driver;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Compiler.Tests;
using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Tests;

/// <summary>
/// Updates written over the old values (<see cref="TensorSpec.InPlace"/>): a train step's
/// parameters, moments and step count need no memory of their own and no copy; a step the guard
/// skips leaves them bit for bit; an update whose old value a later kernel still reads is copied.
/// </summary>
public sealed class InPlaceUpdateTests
{
    private const string Source = """
        model Fit(B: batch) {
            input  x: f32[B, 8];
            input  y: i32[B];
            output logits = (linear(16) >> relu >> linear(4))(x);
            loss   cross_entropy(logits, y);
            optimizer adam(lr = 1e-2);
        }
        """;

    [Fact]
    public void EveryUpdateOfATrainStepIsWrittenInPlace()
    {
        var manifest = ModelCompiler.Compile(CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training), CpuTarget.Host, new CompileOptions { Code = CodeForm.ManifestOnly }).Manifest;

        var updates = manifest.Tensors.Where(t => t.Replaces is not null).ToList();
        Assert.Equal(manifest.Tensors.Count(t => t.Role is TensorRole.Parameter or TensorRole.State), updates.Count);
        Assert.All(updates, u => Assert.True(u.InPlace, u.Name));
    }

    [Theory]
    [InlineData(float.NaN, false)]
    [InlineData(float.PositiveInfinity, false)]
    [InlineData(1e-2f, true)]
    public void AStepWithANonFiniteLearningRateChangesNoWeightOrState(float rate, bool applied)
    {
        var compiled = ModelCompiler.Compile(CompilerDriver.Elaborate(Source, mode: ExecutionMode.Training), CpuTarget.Host);
        using var kernels = compiled.Kernels;
        using var instance = new ModelInstance(compiled.Manifest, kernels, new Dictionary<string, int> { ["B"] = 4 }, new ModelOptions(1, 3));
        var random = new Random(5);
        foreach (ref var v in instance.Floats("x"))
        {
            v = random.NextSingle() - 0.5f;
        }
        instance.Ints("y").Fill(1);
        var leaves = compiled.Manifest.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State).Select(t => t.Name).ToList();
        instance.Floats("optimizer.lr")[0] = 1e-2f;
        instance.Run();
        var before = leaves.ToDictionary(n => n, n => instance.Floats(n).ToArray());

        instance.Floats("optimizer.lr")[0] = rate;
        instance.Run();

        Assert.Equal(applied ? 2 : 1, instance.Floats("optimizer.step")[0]);
        Assert.Equal(!applied, leaves.All(n => before[n].AsSpan().SequenceEqual(instance.Floats(n))));
    }

    // √scale has the gradient 1/(2√scale): infinite where scale is 0, while √0 = 0 keeps the loss finite.
    private const string RootSource = """
        model Root(B: batch) {
            input  x: f32[B, 4];
            input  y: f32[B, 4];
            let scale = parameter(4, init = uniform(1.0, 2.0));
            output out = sqrt(scale) * x;
            loss   mse(out, y);
            optimizer adam(lr = 1e-2);
        }
        """;

    /// <summary>
    /// A step whose loss is finite but one gradient element is not (scale[1] = 0) changes no
    /// weight, moment or step count, bit for bit; the same step with scale[1] = 0.25 applies.
    /// </summary>
    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.25f, true)]
    public void AStepWithOneNonFiniteGradientElementChangesNoWeightOrState(float scale, bool applied)
    {
        var compiled = ModelCompiler.Compile(CompilerDriver.Elaborate(RootSource, mode: ExecutionMode.Training), CpuTarget.Host);
        using var kernels = compiled.Kernels;
        using var instance = new ModelInstance(compiled.Manifest, kernels, new Dictionary<string, int> { ["B"] = 3 }, new ModelOptions(1, 3));
        var random = new Random(7);
        foreach (var name in new[] { "x", "y" })
        {
            foreach (ref var v in instance.Floats(name))
            {
                v = random.NextSingle() + 0.5f;
            }
        }
        var leaves = compiled.Manifest.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State).Select(t => t.Name).ToList();
        instance.Run();
        instance.Floats("scale")[1] = scale;
        var before = leaves.ToDictionary(n => n, n => instance.Floats(n).ToArray());

        instance.Run();

        Assert.True(float.IsFinite(instance.Floats("loss")[0]));
        Assert.Equal(applied ? 2 : 1, instance.Floats("optimizer.step")[0]);
        Assert.Equal(!applied, leaves.All(n => before[n].AsSpan().SequenceEqual(instance.Floats(n))));
        Assert.Contains("optimizer.step", leaves);
        Assert.True(leaves.Count > 3, string.Join(", ", leaves));
    }

    [Fact]
    public void AnUpdateWhoseOldValueALaterKernelReadsIsCopiedAfterTheRun()
    {
        var builder = new GraphBuilder("Late");
        var x = builder.Input("x", TensorType.F32(Shape.Of(4)));
        var s = builder.State("s", TensorType.F32(Shape.Of(4)), new ConstantInit(3));
        builder.StateUpdate("s", builder.Binary(BinaryKind.Add, s, x));
        // Repeated along a new axis, y reads s in a kernel of its own, after the update's.
        builder.Output("y", builder.Binary(BinaryKind.Mul, builder.BroadcastTo(s, Shape.Of(2, 4)), 2.0));
        var compiled = ModelCompiler.Compile(builder.Build(), CpuTarget.Host);
        using var kernels = compiled.Kernels;
        using var instance = new ModelInstance(compiled.Manifest, kernels, new Dictionary<string, int>(), new ModelOptions(1));
        instance.Floats("x").Fill(1);

        instance.Run();

        Assert.False(compiled.Manifest.Tensors.Single(t => t.Replaces == "s").InPlace);
        Assert.Equal(Enumerable.Repeat(6f, 8), instance.Floats("y").ToArray());
        Assert.Equal([4f, 4f, 4f, 4f], instance.Floats("s").ToArray());
    }

    [Fact]
    public void AnUpdateWhoseOldValueItsSiblingReadsInTheSameKernelIsWrittenInPlace()
    {
        // y reads the old s at its own element in the update's multi-output kernel, which
        // computes both values before it stores either.
        var builder = new GraphBuilder("Sibling");
        var x = builder.Input("x", TensorType.F32(Shape.Of(4)));
        var s = builder.State("s", TensorType.F32(Shape.Of(4)), new ConstantInit(3));
        builder.StateUpdate("s", builder.Binary(BinaryKind.Add, s, x));
        builder.Output("y", builder.Binary(BinaryKind.Mul, s, 2.0));
        var compiled = ModelCompiler.Compile(builder.Build(), CpuTarget.Host);
        using var kernels = compiled.Kernels;
        using var instance = new ModelInstance(compiled.Manifest, kernels, new Dictionary<string, int>(), new ModelOptions(1));
        instance.Floats("x").Fill(1);

        instance.Run();

        Assert.Single(compiled.Manifest.Kernels);
        Assert.True(compiled.Manifest.Tensors.Single(t => t.Replaces == "s").InPlace);
        Assert.Equal([6f, 6f, 6f, 6f], instance.Floats("y").ToArray());
        Assert.Equal([4f, 4f, 4f, 4f], instance.Floats("s").ToArray());
    }
}
