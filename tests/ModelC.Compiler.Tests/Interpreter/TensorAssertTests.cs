using ModelC.Compiler.Interpreter;

namespace ModelC.Compiler.Tests.Interpreter;

/// <summary>The comparison rule of <see cref="TensorAssert"/> at its edges.</summary>
public sealed class TensorAssertTests
{
    /// <summary>Relative error up to the tolerance passes; just over it fails.</summary>
    [Fact]
    public void RelativeTolerance()
    {
        var expected = HostTensor.Vector(1000, -2);
        Assert.Null(TensorAssert.Mismatch(expected, HostTensor.Vector(1000 * (1 + 0.9e-9), -2), 1e-9));
        Assert.NotNull(TensorAssert.Mismatch(expected, HostTensor.Vector(1000, -2 * (1 + 1.1e-9)), 1e-9));
    }

    /// <summary>Near-zero elements are judged against 1e-3 of the largest magnitude.</summary>
    [Fact]
    public void FloorForTinyElements()
    {
        var expected = HostTensor.Vector(1000, 1e-12);
        Assert.Null(TensorAssert.Mismatch(expected, HostTensor.Vector(1000, 0.9e-9), 1e-9));
        Assert.NotNull(TensorAssert.Mismatch(expected, HostTensor.Vector(1000, 1.1e-9), 1e-9));
    }

    /// <summary>NaN matches only NaN, infinities only themselves; shapes must agree.</summary>
    [Fact]
    public void SpecialValuesAndShapes()
    {
        var expected = HostTensor.Vector(double.NaN, double.PositiveInfinity, 0.0);
        Assert.Null(TensorAssert.Mismatch(expected, HostTensor.Vector(double.NaN, double.PositiveInfinity, -0.0), 1e-9));
        Assert.NotNull(TensorAssert.Mismatch(expected, HostTensor.Vector(1, double.PositiveInfinity, 0), 1e-9));
        Assert.NotNull(TensorAssert.Mismatch(expected, HostTensor.Vector(double.NaN, double.MaxValue, 0), 1e-9));
        Assert.NotNull(TensorAssert.Mismatch(expected, HostTensor.Create([3, 1], [double.NaN, double.PositiveInfinity, 0]), 1e-9));
    }

    /// <summary>The failure message locates the first differing elements by multi-index.</summary>
    [Fact]
    public void MessageNamesTheElement()
    {
        var message = TensorAssert.Mismatch(HostTensor.Zeros([2, 2]), HostTensor.Create([2, 2], [0, 0, 0, 1]), 0);
        Assert.Contains("1 of 4 element(s) differ", message);
        Assert.Contains("at [1,1]: got 1, expected 0", message);
    }
}
