using ModelC.Compiler.Interpreter;

namespace ModelC.Compiler.Tests.Interpreter;

/// <summary><see cref="HostTensor"/>: row-major layout, copying factories, checked shapes.</summary>
public sealed class HostTensorTests
{
    /// <summary>Elements are row-major: the last axis varies fastest.</summary>
    [Fact]
    public void RowMajor()
    {
        var t = HostTensor.FromFunction([2, 3, 4], i => 100 * i[0] + 10 * i[1] + i[2]);
        Assert.Equal(24, t.Length);
        Assert.Equal(123, t.At(1, 2, 3));
        Assert.Equal(123, t.Data[12 + 8 + 3]);
        Assert.Equal(t.ToArray(), HostTensor.Create([2, 3, 4], t.ToArray()).ToArray());
    }

    /// <summary>The factory copies its data, so later writes to the source do not leak in.</summary>
    [Fact]
    public void CreateCopies()
    {
        var source = new double[] { 1, 2 };
        var t = HostTensor.Create([2], source);
        source[0] = 99;
        Assert.Equal(1, t.At(0));
        t.ToArray()[1] = 99;
        Assert.Equal(2, t.At(1));
    }

    /// <summary>Scalars have rank 0 and one element.</summary>
    [Fact]
    public void Scalar()
    {
        var s = HostTensor.Scalar(3.5);
        Assert.Equal(0, s.Rank);
        Assert.Equal(3.5, s.At());
        Assert.Equal("[] {3.5}", s.ToString());
    }

    /// <summary>Counts and indices are checked.</summary>
    [Fact]
    public void ChecksShapes()
    {
        Assert.Throws<ArgumentException>(() => HostTensor.Create([2, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => HostTensor.Zeros([-1]));
        Assert.Throws<ArgumentException>(() => HostTensor.Zeros([2, 2]).At(2, 0));
        Assert.Throws<ArgumentException>(() => HostTensor.Zeros([2, 2]).At(0));
    }
}
