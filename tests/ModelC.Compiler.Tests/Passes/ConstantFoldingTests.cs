using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Passes;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Passes;

/// <summary>
/// Folded values are the kernels' float32 results (the backend's tests compare them with
/// compiled code bit for bit), not the float64 ones the expression would give.
/// </summary>
public sealed class ConstantFoldingTests
{
    public static TheoryData<string, Func<GraphBuilder, Node>, double> Cases() => new()
    {
        { "0.1 + 0.2 in float32", b => b.Binary(BinaryKind.Add, F(b, 0.1), F(b, 0.2)), 0.1f + 0.2f },
        { "1/3 in float32", b => b.Binary(BinaryKind.Div, F(b, 1), F(b, 3)), 1f / 3f },
        { "reciprocal", b => b.Unary(UnaryKind.Reciprocal, F(b, 3)), 1f / 3f },
        { "sqrt", b => b.Unary(UnaryKind.Sqrt, F(b, 2)), MathF.Sqrt(2f) },
        { "neg of 0", b => b.Unary(UnaryKind.Neg, F(b, 0)), -0.0 },
        { "abs", b => b.Unary(UnaryKind.Abs, F(b, -2.5)), 2.5 },
        { "sign of NaN", b => b.Unary(UnaryKind.Sign, F(b, double.NaN)), 0 },
        { "sign of −0", b => b.Unary(UnaryKind.Sign, F(b, -0.0)), 0 },
        { "max with NaN first", b => b.Binary(BinaryKind.Max, F(b, double.NaN), F(b, 1)), double.NaN },
        { "min with NaN second", b => b.Binary(BinaryKind.Min, F(b, 1), F(b, double.NaN)), double.NaN },
        { "max of ±0 takes the second", b => b.Binary(BinaryKind.Max, F(b, 0), F(b, -0.0)), -0.0 },
        { "overflow", b => b.Binary(BinaryKind.Mul, F(b, 3e38), F(b, 10)), double.PositiveInfinity },
        { "cast saturates", b => b.Cast(F(b, 3e9), ElementType.I32), int.MaxValue },
        { "cast truncates", b => b.Cast(F(b, -2.7), ElementType.I32), -2 },
        { "cast of −0 is the integer 0", b => b.Cast(F(b, -0.0), ElementType.I32), 0 },
        { "cast of NaN", b => b.Cast(F(b, double.NaN), ElementType.I32), 0 },
        { "cast of NaN to bool", b => b.Cast(F(b, double.NaN), ElementType.Bool), 1 },
        { "int to float rounds", b => b.Cast(b.Constant(16777217, new TensorType(ElementType.I32, Shape.Scalar)), ElementType.F32), 16777216 },
        { "comparison", b => b.Compare(CompareKind.Lt, F(b, 1), F(b, 2)), 1 },
        { "≠ with NaN", b => b.Compare(CompareKind.Ne, F(b, double.NaN), F(b, double.NaN)), 1 },
        { "= with NaN", b => b.Compare(CompareKind.Eq, F(b, double.NaN), F(b, double.NaN)), 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FoldsAsTheKernelsCompute(string name, Func<GraphBuilder, Node> build, double expected)
    {
        var b = new GraphBuilder("g");
        b.Output("y", build(b));
        var graph = GraphPipeline.Run(b.Build(), [new AlgebraicSimplification(), new DeadCodeElimination()]).Graph;
        var folded = Assert.IsType<ConstantOp>(Assert.Single(graph.Nodes).Op);
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(folded.Value),
            $"{name}: expected {expected}, folded {folded.Value}");
    }

    private static Node F(GraphBuilder b, double value) => b.Constant(value, TensorType.ScalarF32);
}
