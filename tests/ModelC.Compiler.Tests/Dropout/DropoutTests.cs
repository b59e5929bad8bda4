using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Lowering;
using ModelC.Compiler.Semantics.Elaboration;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Dropout;

/// <summary>
/// dropout and alpha_dropout on the interpreter: the counter hash against an independent C#
/// reference, the keep fraction, training-only activity, masks fixed by (seed, step), the
/// gradient masked as the forward, and alpha dropout keeping a normalised input's moments.
/// </summary>
public sealed class DropoutTests
{
    private const string StepState = "optimizer.dropout_step";

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-123456789, 7)]
    [InlineData(int.MaxValue, 100_000)]
    public void HashIsTheReferenceMix(int salt, int step)
    {
        int[] dims = [3, 5, 7];
        var g = new GraphBuilder("hash");
        var counter = g.Input("step", TensorType.ScalarF32);
        g.Output("h", CounterHash.Draw(g, Shape.Of(dims), counter, salt));
        var result = ReferenceInterpreter.Run(g.Build(), new Dictionary<string, HostTensor> { ["step"] = HostTensor.Scalar(step) }, new Dictionary<string, HostTensor>());

        var expected = HostTensor.FromFunction(dims, index => ReferenceDraw(salt, step, index));
        Assert.Equal(expected.ToArray(), result.Outputs["h"].ToArray());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void KeepFractionIsOneMinusP(double p)
    {
        var g = new GraphBuilder("mask");
        var step = g.Input("step", TensorType.ScalarF32);
        g.Output("keep", g.Cast(Lowering.Dropout.KeepMask(g, Shape.Of(128, 256), step, 99, p), ElementType.F32));
        var keep = ReferenceInterpreter.Run(g.Build(), new Dictionary<string, HostTensor> { ["step"] = HostTensor.Scalar(4) }, new Dictionary<string, HostTensor>())
            .Outputs["keep"].ToArray();

        // 32,768 Bernoulli draws: 5 standard deviations of the mean is at most 0.014.
        var sigma = Math.Sqrt(p * (1 - p) / keep.Length);
        Assert.InRange(keep.Average(), 1 - p - 5 * sigma, 1 - p + 5 * sigma);
    }

    [Fact]
    public void InferenceIsTheIdentityAndHasNoStepState()
    {
        var graph = DropoutCase.Elaborate(ExecutionMode.Inference);
        Assert.DoesNotContain(graph.Nodes, n => n.Op is StateOp);
        var inputs = DropoutCase.Inputs();
        inputs.Remove("t");
        var parameters = ParameterInitializer.Initialize(graph, 1);
        var result = ReferenceInterpreter.Run(graph, inputs, parameters);

        Assert.Equal(inputs["x"].ToArray(), result.Outputs["z"].ToArray());
        var w = parameters["w"].ToArray();
        Assert.Equal(inputs["x"].ToArray().Select((v, i) => v * w[i % 40]), result.Outputs["y"].ToArray());
    }

    [Fact]
    public void TrainingDropsAndScalesAndAdvancesTheStep()
    {
        var graph = DropoutCase.Elaborate(ExecutionMode.Training);
        var (inputs, parameters) = (DropoutCase.Inputs(), ParameterInitializer.Initialize(graph, 1));
        var result = ReferenceInterpreter.Run(graph, inputs, parameters);

        var (x, w, y) = (inputs["x"].ToArray(), parameters["w"].ToArray(), result.Outputs["y"].ToArray());
        for (var i = 0; i < y.Length; i++)
        {
            Assert.True(y[i] == 0 || Math.Abs(y[i] - x[i] * w[i % 40] / (1 - DropoutCase.P)) <= 1e-12 * Math.Abs(y[i]), $"element {i}: {y[i]}");
        }
        Assert.InRange(y.Count(v => v == 0) / (double)y.Length, DropoutCase.P - 0.05, DropoutCase.P + 0.05);
        Assert.Equal(1.0, result.StateUpdates[StepState].ToArray().Single());
    }

    [Fact]
    public void MasksAreFixedByStepAndSeed()
    {
        var graph = DropoutCase.Elaborate(ExecutionMode.Training);
        var inputs = DropoutCase.Inputs();
        double[] Dropped(string output, double step)
        {
            var parameters = ParameterInitializer.Initialize(graph, 1);
            parameters[StepState] = HostTensor.Scalar(step);
            return [.. ReferenceInterpreter.Run(graph, inputs, parameters).Outputs[output].ToArray().Select(v => v == 0 ? 0.0 : 1.0)];
        }

        Assert.Equal(Dropped("y", 3), Dropped("y", 3));
        var changed = Dropped("y", 3).Zip(Dropped("y", 4)).Count(pair => pair.First != pair.Second) / (double)(DropoutCase.Batch * 12 * 40);
        // Independent masks differ at 2p(1 − p) = 0.42 of the elements.
        Assert.InRange(changed, 0.35, 0.49);

        var reseeded = CompilerDriver.Elaborate(DropoutCase.Source.Replace("dropout(0.3)", "dropout(0.3, seed = 1)", StringComparison.Ordinal), mode: ExecutionMode.Training).Graph;
        var other = ReferenceInterpreter.Run(reseeded, inputs, ParameterInitializer.Initialize(reseeded, 1)).Outputs["y"].ToArray().Select(v => v == 0 ? 0.0 : 1.0);
        Assert.NotEqual(Dropped("y", 0), other);
    }

    [Fact]
    public void GradientIsMaskedAsTheForward()
    {
        var graph = DropoutCase.Gradients();
        var (inputs, parameters) = (DropoutCase.Inputs(), ParameterInitializer.Initialize(graph, 1));
        var result = ReferenceInterpreter.Run(graph, inputs, parameters);

        // mse(y, t) = mean((y − t)²): ∂/∂w_j = Σ 2(y − t)/N · x/(1 − p) over the kept elements of column j.
        var (x, t, y) = (inputs["x"].ToArray(), inputs["t"].ToArray(), result.Outputs["y"].ToArray());
        var expected = new double[40];
        for (var i = 0; i < y.Length; i++)
        {
            expected[i % 40] += y[i] == 0 ? 0 : 2 * (y[i] - t[i]) / y.Length * x[i] / (1 - DropoutCase.P);
        }
        TensorAssert.Close(HostTensor.Create([40], expected), result.Gradients["w"], 1e-12);
    }

    [Fact]
    public void AlphaDropoutKeepsTheMomentsOfANormalisedInput()
    {
        const string source = """
            model SeluNet(B: batch) {
                input x: f32[B, 64, 256];
                output z = alpha_dropout(0.2)(x);
                output d = dropout(0.2)(x);
                loss mse(z, x);
                optimizer sgd(lr = 0.1);
            }
            """;
        var graph = CompilerDriver.Elaborate(source, mode: ExecutionMode.Training).Graph;
        var random = new Random(11);
        var x = HostTensor.FromFunction([2, 64, 256], _ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var outputs = ReferenceInterpreter.Run(graph, new Dictionary<string, HostTensor> { ["x"] = x }, ParameterInitializer.Initialize(graph, 1)).Outputs;

        // 32,768 elements: the sample mean's standard deviation is 0.0055, the variance's about 0.01.
        var (mean, variance) = Moments(outputs["z"].ToArray());
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(variance, 0.95, 1.05);
        Assert.True(outputs["z"].ToArray().Count(v => Math.Abs(v - Dropped(0.2)) < 1e-12) > 0.15 * x.Length);
        // Plain dropout does not: its variance is 1/(1 − p).
        Assert.InRange(Moments(outputs["d"].ToArray()).Variance, 1.2, 1.3);
    }

    // The value a dropped element takes: a·(−λα) + b.
    private static double Dropped(double p)
    {
        const double alpha = 1.7580993408473766;
        var a = 1 / Math.Sqrt((alpha * alpha * p + 1) * (1 - p));
        return a * alpha * (p - 1);
    }

    private static (double Mean, double Variance) Moments(double[] values)
    {
        var mean = values.Average();
        return (mean, values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    // The hash written out independently of the graph.
    private static double ReferenceDraw(int salt, int step, int[] index)
    {
        var h = ReferenceMix(unchecked(step + salt));
        foreach (var i in index)
        {
            h = ReferenceMix(unchecked(h + i));
        }
        return h;
    }

    private static int ReferenceMix(int h)
    {
        foreach (var c in new[] { unchecked((int)0x85EBCA6B), unchecked((int)0xC2B2AE35) })
        {
            h = unchecked((h + h / 65536) * c);
            h = unchecked(h + 2 * h * h);
        }
        return unchecked(h + h / 65536);
    }
}
