using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Compiler.Tests.Interpreter;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Autodiff;

/// <summary>
/// Reverse mode against finite differences on every primitive golden case
/// (<c>tests/golden/primitives/</c>) that has a float input: a random direction per input,
/// relative error ≤ 1e-6 in float64. A coverage fact requires every differentiable op and kind
/// to be checked by some case.
/// </summary>
public sealed class PrimitiveGradientTests
{
    /// <summary>
    /// Cases left out, with the reason: each probes values where the derivative does not exist
    /// or is infinite (the forward golden checks those values), so no finite difference can agree.
    /// </summary>
    private static readonly Dictionary<string, string> NotDifferentiable = new(StringComparer.Ordinal)
    {
    };

    public static TheoryData<string> Cases() => [.. CaseNames()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(string name)
    {
        var golden = GoldenCase.Load(name);
        var graph = golden.BuildGraph();
        var inputs = golden.Inputs.ToDictionary(i => i.Name, i => i.ElementType == ElementType.F32 ? WithoutSpecialValues(i.Value) : i.Value);
        var noLeaves = new Dictionary<string, HostTensor>();
        var forward = ReferenceInterpreter.Run(graph, inputs, noLeaves);
        var (probed, probes) = GradientCheck.WithProbeLoss(graph, forward.Outputs);
        foreach (var (probe, value) in probes)
        {
            inputs[probe] = value;
        }
        GradientCheck.Run(probed, inputs, noLeaves, perLeaf: true, 1e-6, $"{name} ({golden.Description})");
    }

    /// <summary>Every op that can have an adjoint, and every unary, binary and reduction kind, is checked by some case.</summary>
    [Fact]
    public void CasesCoverEveryDifferentiableOp()
    {
        var ops = CaseNames().Select(GoldenCase.Load)
            .SelectMany(c => c.BuildGraph().Nodes)
            .Where(n => n.Inputs.Any(i => i.Type.ElementType == ElementType.F32))
            .Select(n => n.Op).ToList();
        var opTypes = typeof(Op).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract && t.Namespace == typeof(Op).Namespace && !t.IsSubclassOf(typeof(LeafOp)));
        var missing = opTypes.Where(t => !ops.Any(o => o.GetType() == t)).Select(t => t.Name)
            .Concat(Enum.GetValues<UnaryKind>().Where(k => !ops.OfType<UnaryOp>().Any(o => o.Kind == k)).Select(k => "unary " + k))
            .Concat(Enum.GetValues<BinaryKind>().Where(k => !ops.OfType<BinaryOp>().Any(o => o.Kind == k)).Select(k => "binary " + k))
            .Concat(Enum.GetValues<ReduceKind>().Where(k => !ops.OfType<ReduceOp>().Any(o => o.Kind == k)).Select(k => "reduce " + k));
        Assert.Empty(missing);
    }

    // Cases whose output is float and depends on a float input; the others (comparisons, casts
    // to integers, index generators) have no gradient to check.
    private static IEnumerable<string> CaseNames() =>
        GoldenCase.Names().Where(n => !NotDifferentiable.ContainsKey(n)
            && GoldenCase.Load(n) is var c && c.Expected.ElementType == ElementType.F32 && c.Inputs.Any(i => i.ElementType == ElementType.F32));

    // The golden inputs end with the values where functions have no derivative (±0, ±inf, NaN),
    // which the forward goldens check; here each is replaced by one of the tensor's ordinary values.
    private static HostTensor WithoutSpecialValues(HostTensor value)
    {
        var ordinary = value.Data.ToArray().Where(v => double.IsFinite(v) && v != 0).ToArray();
        if (ordinary.Length == 0)
        {
            return value;
        }
        var k = 0;
        return HostTensor.Create(value.Shape, [.. value.Data.ToArray().Select(v => double.IsFinite(v) && v != 0 ? v : ordinary[k++ % ordinary.Length])]);
    }
}
