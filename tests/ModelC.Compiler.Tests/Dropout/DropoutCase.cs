using ModelC.Compiler.Interpreter;
using ModelC.Compiler.IR;
using ModelC.Compiler.Passes;
using ModelC.Compiler.Semantics.Elaboration;

namespace ModelC.Compiler.Tests.Dropout;

/// <summary>
/// A model with dropout and alpha dropout, its training graph with the gradients (what the
/// gradients program of a train step computes) and seeded inputs: shared by the interpreter,
/// CPU backend and GPU target tests, which must all draw the same masks.
/// </summary>
internal static class DropoutCase
{
    /// <summary>dropout's p in <see cref="Source"/>.</summary>
    public const double P = 0.3;

    /// <summary>The model: y = dropout(x·w) under an MSE loss, and z = alpha_dropout(x) beside it.</summary>
    public const string Source = """
        model Dropped(B: batch) {
            input x: f32[B, 12, 40];
            input t: f32[B, 12, 40];
            let w = parameter(40, init = normal(1.0, 0.5));
            output y = dropout(0.3)(x * w);
            output z = alpha_dropout(0.2, seed = 3)(x);
            loss mse(y, t);
            optimizer sgd(lr = 0.1);
        }
        """;

    /// <summary>The batch the inputs have.</summary>
    public const int Batch = 3;

    /// <summary>The model elaborated in <paramref name="mode"/>.</summary>
    public static Graph Elaborate(ExecutionMode mode) => CompilerDriver.Elaborate(Source, mode: mode).Graph;

    /// <summary>The training graph and its reverse-mode gradients, after the cleanup passes.</summary>
    public static Graph Gradients() =>
        GraphPipeline.Run(Elaborate(ExecutionMode.Training), [.. GraphPipeline.Cleanup, new ReverseModePass(), .. GraphPipeline.Cleanup]).Graph;

    /// <summary>
    /// Which elements of the outputs <c>y</c> and <c>z</c> dropout kept (1) or dropped (0), as the
    /// interpreter draws them for step 0: the masks do not depend on the weights.
    /// </summary>
    public static (double[] Y, double[] Z) InterpretedMasks()
    {
        var graph = Gradients();
        var outputs = ReferenceInterpreter.Run(graph, Inputs(), ParameterInitializer.Initialize(graph, 1)).Outputs;
        return (Kept(outputs["y"]), Kept(outputs["z"]));
    }

    /// <summary>1 where <paramref name="output"/> (y or z) holds a kept element, 0 where a dropped one.</summary>
    public static double[] Kept(HostTensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        // y's dropped elements are 0; z's all take the same value, below every kept one's a·x + b only by chance.
        var values = output.ToArray();
        var dropped = values.GroupBy(v => v).MaxBy(group => group.Count())!.Key;
        return [.. values.Select(v => v == dropped ? 0.0 : 1.0)];
    }

    /// <summary>x standard normal and t uniform, seeded.</summary>
    public static Dictionary<string, HostTensor> Inputs()
    {
        var random = new Random(5);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return new()
        {
            ["x"] = HostTensor.FromFunction([Batch, 12, 40], _ => Normal()),
            ["t"] = HostTensor.FromFunction([Batch, 12, 40], _ => random.NextDouble()),
        };
    }
}
