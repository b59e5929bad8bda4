using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Compiler.Tests.IRTests;

/// <summary>Ops are values: equal attributes make equal ops, arrays and signed zeros included.</summary>
public sealed class OpEqualityTests
{
    private static readonly TensorType Matrix = TensorType.F32(Shape.Of(2, 3));

    // Two builds of each op, each with its own arrays.
    public static TheoryData<string, Func<Op>> Ops() => new()
    {
        { "contract", () => new ContractOp([0, 1], [1, 2], [0, 2]) },
        { "permute", () => new PermuteOp([1, 0]) },
        { "broadcast", () => new BroadcastOp(Shape.Of(4, 2, 3), [1, 2]) },
        { "slice", () => new SliceOp([new AxisRange(1, 0, 2)]) },
        { "pad", () => new PadOp([new AxisPadding(0, 1, 1)], -0.0) },
        { "reduce", () => new ReduceOp(ReduceKind.Sum, [0, 1]) },
        { "reverse", () => new ReverseOp([1]) },
        { "constant", () => new ConstantOp(double.NaN, Matrix) },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void OpsBuiltApartAreEqual(string name, Func<Op> build)
    {
        var (a, b) = (build(), build());
        Assert.True(a.Equals(b) && a == b && a.GetHashCode() == b.GetHashCode(), name);
    }

    [Fact]
    public void DifferentAttributesMakeDifferentOps()
    {
        Assert.NotEqual<Op>(new PermuteOp([1, 0, 2]), new PermuteOp([0, 2, 1]));
        Assert.NotEqual<Op>(new ReduceOp(ReduceKind.Sum, [0]), new ReduceOp(ReduceKind.Max, [0]));
        Assert.NotEqual<Op>(new ReduceOp(ReduceKind.Max, [0]), new ReduceOp(ReduceKind.Max, [0], StopsGradient: true));
        Assert.NotEqual<Op>(new BroadcastOp(Shape.Of(4, 3), [1]), new BroadcastOp(Shape.Of(3, 4), [1]));
        Assert.NotEqual<Op>(new ContractOp([0, 1], [1, 2], [0, 2]), new ContractOp([0, 1], [1, 2], [2, 0]));
    }

    [Fact]
    public void ConstantsAndPadValuesCompareByBits()
    {
        // 0.0 == -0.0 numerically, but a fill of −0 is not a fill of 0.
        Assert.NotEqual<Op>(new ConstantOp(0, Matrix), new ConstantOp(-0.0, Matrix));
        Assert.NotEqual<Op>(new PadOp([new AxisPadding(0, 1, 1)], 0), new PadOp([new AxisPadding(0, 1, 1)], -0.0));
        Assert.NotEqual<Op>(new ConstantOp(1, Matrix), new ConstantOp(1, TensorType.F32(Shape.Of(3, 2))));
    }
}
