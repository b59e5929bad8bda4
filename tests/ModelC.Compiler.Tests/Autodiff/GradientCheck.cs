using ModelC.Compiler.Autodiff;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Tests.Blocks;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Autodiff;

/// <summary>
/// Checks <see cref="ReverseMode"/> against central finite differences in the float64
/// interpreter. A graph gets a probe loss <c>Σ_o Σ o · probe_o</c> over its float outputs (plus
/// its own loss, if any) with fixed random probes, so every output element's gradient path is
/// exercised; then along a random direction v the directional derivative, by the fourth-order
/// central difference <c>(8(L(θ + hv) − L(θ − hv)) − (L(θ + 2hv) − L(θ − 2hv))) / 12h</c>, must equal <c>Σ ∇L · v</c> within a relative tolerance of
/// <c>Σ |∇L · v|</c> (normwise, so a cancelling sum is not held to its own tiny size).
/// </summary>
internal static class GradientCheck
{
    /// <summary>The default step: small enough that no kink of relu, abs or max is crossed in practice.</summary>
    public const double DefaultStep = 1e-6;

    /// <summary>The prefix of the probe inputs' names.</summary>
    public const string ProbePrefix = "probe:";

    /// <summary>
    /// The graph with the probe loss in place of its loss, and the values of its probe inputs;
    /// <paramref name="outputShapes"/> gives each output's run-time shape.
    /// </summary>
    public static (Graph Graph, Dictionary<string, HostTensor> Probes) WithProbeLoss(Graph graph, IReadOnlyDictionary<string, HostTensor> outputValues)
    {
        var builder = new GraphBuilder(graph.Name);
        var copies = builder.Append(graph);
        var probes = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        Node? loss = graph.Loss is { } original ? copies[original] : null;
        foreach (var output in graph.Outputs.Where(o => o.Role == OutputRole.Output && o.Value.Type.ElementType == ElementType.F32))
        {
            var name = ProbePrefix + output.Name;
            var shape = outputValues[output.Name].Shape;
            probes[name] = HostTensor.Create(shape, GoldenValues.Uniform(name, HostTensor.ElementCount(shape), -1, 1));
            var value = copies[output.Value];
            var probe = builder.Input(name, value.Type);
            var term = builder.Reduce(ReduceKind.Sum, builder.Binary(BinaryKind.Mul, value, probe), [.. Enumerable.Range(0, value.Type.Rank)]);
            loss = loss is null ? term : builder.Binary(BinaryKind.Add, loss, term);
        }
        foreach (var output in graph.Outputs.Where(o => o.Role != OutputRole.Loss))
        {
            builder.Result(output with { Value = copies[output.Value] });
        }
        builder.Loss(loss ?? throw new InvalidOperationException($"{graph.Name} has no float output and no loss"));
        return (builder.Build(), probes);
    }

    /// <summary>
    /// A block case under the probe loss: the probed graph, its inputs (probes included) from the
    /// golden generator, and its parameters and states.
    /// </summary>
    public static (Graph Graph, Dictionary<string, HostTensor> Inputs, Dictionary<string, HostTensor> Parameters) ProbedBlock(BlockCase block)
    {
        var graph = block.Elaborate().Graph;
        var inputs = block.Inputs.ToDictionary(i => i.Name, i => i.Value(), StringComparer.Ordinal);
        var parameters = block.Parameters.Concat(block.States)
            .ToDictionary(p => p.Name, p => GoldenValues.Parameter(p.Name, p.Shape), StringComparer.Ordinal);
        var forward = ReferenceInterpreter.Run(graph, inputs, parameters);
        var (probed, probes) = WithProbeLoss(graph, forward.Outputs);
        foreach (var (probe, value) in probes)
        {
            inputs[probe] = value;
        }
        return (probed, inputs, parameters);
    }

    /// <summary>
    /// Differentiates <paramref name="graph"/> (which has a loss) with respect to every f32 input
    /// and parameter except probes, and compares with finite differences: one random direction
    /// per leaf when <paramref name="perLeaf"/>, else one direction moving all leaves at once.
    /// Returns the worst relative error seen.
    /// </summary>
    public static double Run(Graph graph, IReadOnlyDictionary<string, HostTensor> inputs, IReadOnlyDictionary<string, HostTensor> parameters, bool perLeaf, double tolerance, string context, double step = DefaultStep)
    {
        var leaves = graph.Nodes.Where(IsDifferentiated).ToList();
        Assert.True(leaves.Count > 0, $"{context}: nothing to differentiate");
        var differentiated = ReverseMode.Differentiate(graph, leaves);
        Assert.Empty(GraphVerifier.Verify(differentiated));
        var result = ReferenceInterpreter.Run(differentiated, inputs, parameters);
        var gradients = result.Gradients;

        var names = leaves.Select(LeafName).ToList();
        var groups = perLeaf ? names.Select(n => new[] { n }).ToList() : [[.. names]];
        var worst = 0.0;
        foreach (var group in groups)
        {
            var directions = group.ToDictionary(n => n, n => Direction(n, gradients[n].Shape), StringComparer.Ordinal);
            double analytic = 0, scale = 0;
            foreach (var (name, direction) in directions)
            {
                var g = gradients[name].Data;
                for (var k = 0; k < g.Length; k++)
                {
                    analytic += g[k] * direction.Data[k];
                    scale += Math.Abs(g[k] * direction.Data[k]);
                }
            }
            double At(double t) => Loss(graph, inputs, parameters, directions, t);
            var numeric = (8 * (At(step) - At(-step)) - (At(2 * step) - At(-2 * step))) / (12 * step);
            var what = $"{context}: d loss along a random direction in {string.Join(", ", group.Take(3))}{(group.Length > 3 ? $" and {group.Length - 3} more" : "")}";
            Assert.True(double.IsFinite(numeric) && double.IsFinite(analytic), $"{what}: not finite (numeric {numeric}, analytic {analytic})");
            // A leaf the loss does not depend on: both must vanish (up to the difference's rounding).
            var error = scale == 0 ? Math.Abs(numeric) * step : Math.Abs(numeric - analytic) / scale;
            Assert.True(error <= tolerance, $"{what}: finite difference {numeric:R}, reverse mode {analytic:R}, relative error {error:E2} > {tolerance:E0}");
            worst = Math.Max(worst, error);
        }
        return worst;
    }

    /// <summary>Whether the check differentiates with respect to this node: f32 parameters and inputs other than probes.</summary>
    public static bool IsDifferentiated(Node node) =>
        node.Type.ElementType == ElementType.F32 && (node.Op is ParameterOp || (node.Op is InputOp i && !i.Name.StartsWith(ProbePrefix, StringComparison.Ordinal)));

    /// <summary>The name of an input, parameter or state leaf.</summary>
    public static string LeafName(Node leaf) => leaf.Op switch
    {
        InputOp i => i.Name,
        ParameterOp p => p.Name,
        StateOp s => s.Name,
        _ => throw new ArgumentException($"{leaf} is not an input, parameter or state", nameof(leaf)),
    };

    private static HostTensor Direction(string name, IReadOnlyList<int> shape) =>
        HostTensor.Create(shape, GoldenValues.Uniform("direction:" + name, HostTensor.ElementCount(shape), -1, 1));

    private static double Loss(Graph graph, IReadOnlyDictionary<string, HostTensor> inputs, IReadOnlyDictionary<string, HostTensor> parameters, Dictionary<string, HostTensor> directions, double t)
    {
        HostTensor Moved(string name, HostTensor value) => directions.TryGetValue(name, out var d)
            ? HostTensor.Create(value.Shape, [.. value.Data.ToArray().Select((v, k) => v + t * d.Data[k])])
            : value;
        var movedInputs = inputs.ToDictionary(p => p.Key, p => Moved(p.Key, p.Value), StringComparer.Ordinal);
        var movedParameters = parameters.ToDictionary(p => p.Key, p => Moved(p.Key, p.Value), StringComparer.Ordinal);
        return ReferenceInterpreter.Run(graph, movedInputs, movedParameters).Loss!.Data[0];
    }
}
