using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Tests.Interpreter;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// Every primitive op compiled and run against the reference interpreter on the same float32
/// values: each golden case of <c>tests/golden/primitives</c>, and the random-shape cases of
/// <see cref="PrimitiveSweep"/>; within 1e-5 (normwise, see <see cref="CompiledRun.AssertClose"/>;
/// integer and bool results exactly), and bit-identical for 1 and 2 threads.
/// </summary>
public sealed class PrimitiveDifferentialTests
{
    /// <summary>One row per golden case file.</summary>
    public static TheoryData<string> GoldenCases() => [.. GoldenCase.Names()];

    /// <summary>One row per sweep case, named by op, attributes and shapes.</summary>
    public static TheoryData<string> SweepCases() => [.. PrimitiveSweep.Cases.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The golden case's graph compiled matches the interpreter, NaN and infinity inputs included.</summary>
    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void GoldenCaseCompiledMatchesInterpreter(string name)
    {
        var golden = GoldenCase.Load(name);
        var run = CompiledRun.Execute(golden.BuildGraph(), golden.InputValues(), 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }

    /// <summary>The sweep case compiled matches the interpreter.</summary>
    [Theory]
    [MemberData(nameof(SweepCases))]
    public void SweepCaseCompiledMatchesInterpreter(string name)
    {
        var sweep = PrimitiveSweep.Cases[name];
        var run = CompiledRun.Execute(sweep.Graph, sweep.Inputs, 1, 2);
        run.AssertClose();
        run.AssertRunsIdentical();
    }

    /// <summary>
    /// The sweep exercises every concrete op type of the IR assembly, every unary, binary,
    /// comparison and reduction kind, and every cast between element types: a new op or kind
    /// fails here until the sweep builds a case for it.
    /// </summary>
    [Fact]
    public void SweepCoversEveryOpAndKind()
    {
        var nodes = PrimitiveSweep.Cases.Values.SelectMany(c => c.Graph.Nodes).ToList();
        var ops = nodes.Select(n => n.Op).ToList();
        var opTypes = typeof(Op).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract);
        var casts = nodes.Where(n => n.Op is CastOp).Select(n => (From: n.Inputs[0].Type.ElementType, ((CastOp)n.Op).To)).ToHashSet();
        var missing = opTypes.Where(t => !ops.Any(o => o.GetType() == t)).Select(t => t.Name)
            .Concat(Enum.GetValues<UnaryKind>().Where(k => !ops.OfType<UnaryOp>().Any(o => o.Kind == k)).Select(k => "unary " + k))
            .Concat(Enum.GetValues<BinaryKind>().Where(k => !ops.OfType<BinaryOp>().Any(o => o.Kind == k)).Select(k => "binary " + k))
            .Concat(Enum.GetValues<CompareKind>().Where(k => !ops.OfType<CompareOp>().Any(o => o.Kind == k)).Select(k => "compare " + k))
            .Concat(Enum.GetValues<ReduceKind>().Where(k => !ops.OfType<ReduceOp>().Any(o => o.Kind == k)).Select(k => "reduce " + k))
            .Concat(Enum.GetValues<ElementType>().SelectMany(from => Enum.GetValues<ElementType>().Select(to => (from, to)))
                .Where(pair => !casts.Contains(pair)).Select(pair => $"cast {pair.from} to {pair.to}"));
        Assert.Empty(missing);
    }

    /// <summary>The sweep's shapes reach every rank from 0 to 4 and innermost sizes that are not multiples of the vector width.</summary>
    [Fact]
    public void SweepShapesVary()
    {
        var shapes = PrimitiveSweep.Cases.Values.SelectMany(c => c.Graph.Nodes).Select(n => n.Type.Shape).ToList();
        Assert.All(Enumerable.Range(0, 5), rank => Assert.Contains(shapes, s => s.Rank == rank));
        var innermost = shapes.Where(s => s.Rank > 0 && s[s.Rank - 1].IsFixed).Select(s => s[s.Rank - 1].FixedSize).ToHashSet();
        Assert.Contains(innermost, d => d > 8 && d % 8 != 0);
        Assert.Contains(innermost, d => d < 8);
    }
}
