using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Interpreter;

/// <summary>
/// The reference interpreter against PyTorch float64 on every case in <c>tests/golden/primitives/</c>,
/// and a check that those cases exercise every primitive op and every kind of each op.
/// </summary>
public sealed class PrimitiveGoldenTests
{
    /// <summary>One row per golden case file.</summary>
    public static TheoryData<string> Cases() => [.. GoldenCase.Names()];

    /// <summary>Builds the case's graph, runs it and compares the output with torch's.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTorch(string name)
    {
        var golden = GoldenCase.Load(name);
        var graph = golden.BuildGraph();

        var result = ReferenceInterpreter.Run(graph, golden.InputValues(), new Dictionary<string, HostTensor>());

        var output = graph.Outputs.Single().Value;
        Assert.Equal(golden.Expected.ElementType, output.Type.ElementType);
        var context = $"{name} ({golden.Description})";
        if (golden.Expected.ElementType == ElementType.F32)
        {
            TensorAssert.Close(golden.Expected.Value, result.Outputs["out"], context: context);
        }
        else
        {
            TensorAssert.Equal(golden.Expected.Value, result.Outputs["out"], context);
        }
    }

    /// <summary>Symbolic batch binding is exercised by enough cases to matter.</summary>
    [Fact]
    public void SeveralCasesUseTheSymbolicBatch()
    {
        var symbolic = GoldenCase.Names().Select(GoldenCase.Load).Count(c => c.Inputs.Any(i => !i.IrShape.IsFixed));
        Assert.True(symbolic >= 10, $"only {symbolic} golden cases declare a symbolic input");
    }

    /// <summary>
    /// Every primitive op, and every unary, binary, comparison, reduction and cast kind, occurs in
    /// some golden case; a new op or kind fails here until it gets a torch reference. Parameters
    /// and states are leaves fed like inputs and are covered by <see cref="ReferenceInterpreterTests"/>.
    /// </summary>
    [Fact]
    public void GoldenCasesCoverEveryPrimitive()
    {
        var ops = GoldenCase.Names().Select(GoldenCase.Load).SelectMany(c => c.BuildGraph().Nodes).Select(n => n.Op).ToList();
        var opTypes = typeof(Op).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract && t.Namespace == typeof(Op).Namespace)
            .Except([typeof(ParameterOp), typeof(StateOp)]);
        var missing = opTypes.Where(t => !ops.Any(o => o.GetType() == t)).Select(t => t.Name)
            .Concat(Enum.GetValues<UnaryKind>().Where(k => !ops.OfType<UnaryOp>().Any(o => o.Kind == k)).Select(k => "unary " + k))
            .Concat(Enum.GetValues<BinaryKind>().Where(k => !ops.OfType<BinaryOp>().Any(o => o.Kind == k)).Select(k => "binary " + k))
            .Concat(Enum.GetValues<CompareKind>().Where(k => !ops.OfType<CompareOp>().Any(o => o.Kind == k)).Select(k => "compare " + k))
            .Concat(Enum.GetValues<ReduceKind>().Where(k => !ops.OfType<ReduceOp>().Any(o => o.Kind == k)).Select(k => "reduce " + k))
            .Concat(Enum.GetValues<ElementType>().Where(d => !ops.OfType<CastOp>().Any(o => o.To == d)).Select(d => "cast to " + d));
        Assert.Empty(missing);
    }
}
