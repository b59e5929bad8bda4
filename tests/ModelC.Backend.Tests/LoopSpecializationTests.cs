using ModelC.Backend.Kernels;
using ModelC.Compiler.IR.Ops;

namespace ModelC.Backend.Tests;

/// <summary>
/// An expression specialised to a range of one loop variable: the ordered tests and clamps the
/// range decides fold, the others stay, and ranges unbounded on one side (an interior with one
/// border) do not overflow.
/// </summary>
public sealed class LoopSpecializationTests
{
    private static readonly LoopVar J = new(0);
    private static readonly Constant Yes = new(1, ScalarType.F32);
    private static readonly Constant No = new(0, ScalarType.F32);

    [Theory]
    [InlineData(CompareKind.Lt, 0, 5, 1.0)]
    [InlineData(CompareKind.Lt, 5, 9, 0.0)]
    [InlineData(CompareKind.Le, 0, 6, 1.0)]
    [InlineData(CompareKind.Le, 6, 9, 0.0)]
    [InlineData(CompareKind.Gt, 6, 9, 1.0)]
    [InlineData(CompareKind.Gt, 0, 6, 0.0)]
    [InlineData(CompareKind.Ge, 5, 9, 1.0)]
    [InlineData(CompareKind.Ge, 0, 5, 0.0)]
    public void ADecidedTestTakesItsBranch(CompareKind kind, long low, long high, double taken)
    {
        var select = new Select(new Compare(kind, J, IndexMath.Const(5)), Yes, No);
        Assert.Equal(new Constant(taken, ScalarType.F32), LoopSpecialization.Specialize(select, J, low, high));
    }

    [Theory]
    [InlineData(CompareKind.Lt)]
    [InlineData(CompareKind.Le)]
    [InlineData(CompareKind.Gt)]
    [InlineData(CompareKind.Ge)]
    [InlineData(CompareKind.Eq)]
    public void ATestTheRangeStraddlesStays(CompareKind kind)
    {
        var select = new Select(new Compare(kind, J, IndexMath.Const(5)), Yes, No);
        Assert.Same(select, LoopSpecialization.Specialize(select, J, 4, 7));
    }

    [Fact]
    public void ClampsFoldWhereTheOperandsDoNotOverlap()
    {
        // min(max(j − 2, 0), 9) is j − 2 over [2, 12), min(j − 2, 9) over [2, 13), and stays over
        // [0, 12) (the min's operand is then no sum of j and constants).
        var shifted = IndexMath.Sub(J, IndexMath.Const(2));
        var clamp = IndexMath.Min(IndexMath.Max(shifted, IndexMath.Const(0)), IndexMath.Const(9));
        Assert.Equal(shifted, LoopSpecialization.Specialize(clamp, J, 2, 12));
        Assert.Equal(IndexMath.Min(shifted, IndexMath.Const(9)), LoopSpecialization.Specialize(clamp, J, 2, 13));
        Assert.Same(clamp, LoopSpecialization.Specialize(clamp, J, 0, 12));
    }

    [Fact]
    public void ARangeUnboundedOnOneSideDoesNotOverflow()
    {
        // j − 3 over [long.MinValue, 5) wraps below long.MinValue unless the range saturates.
        var test = new Select(new Compare(CompareKind.Lt, IndexMath.Sub(J, IndexMath.Const(3)), IndexMath.Const(2)), Yes, No);
        Assert.Equal(Yes, LoopSpecialization.Specialize(test, J, long.MinValue, 5));
        var above = new Select(new Compare(CompareKind.Ge, IndexMath.Add(J, IndexMath.Const(3)), IndexMath.Const(8)), Yes, No);
        Assert.Equal(Yes, LoopSpecialization.Specialize(above, J, 5, long.MaxValue));
    }

    [Fact]
    public void TestsOfOtherVariablesStay()
    {
        var other = new LoopVar(1);
        var select = new Select(new Compare(CompareKind.Lt, other, IndexMath.Const(5)), Yes, No);
        Assert.Same(select, LoopSpecialization.Specialize(select, J, 0, 3));
    }

    [Fact]
    public void AnEmptyRangeIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LoopSpecialization.Specialize(J, J, 3, 3));
}
