using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>The graph and the view of a plan that the fusion planner's tests share.</summary>
internal static class FusionPlanTesting
{
    /// <summary>x · w for an input x of type <paramref name="x"/> ([n, 8]) and a parameter w [8, 8].</summary>
    public static Node Product(GraphBuilder b, TensorType x) =>
        b.Contract(b.Input("x", x), b.Parameter("w", TensorType.F32(Shape.Of(8, 8)), new ConstantInit(1)), [0, 1], [1, 2], [0, 2]);

    /// <summary>The computed nodes <paramref name="plan"/> stores, in graph order, by mnemonic.</summary>
    public static List<string> Stored(Graph graph, FusionPlan plan) =>
        [.. graph.Nodes.Where(n => plan.Materialized.Contains(n) && n.Op.FusionPattern != FusionPattern.Opaque).Select(n => n.Op.Mnemonic)];
}
