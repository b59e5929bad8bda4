using ModelC.Search.Evaluation;

namespace ModelC.Search.Tests;

/// <summary>The built-in digits: every sample, scaled pixels, all ten classes, the same split every time.</summary>
public sealed class DigitsTaskTests
{
    [Fact]
    public void TheDigitsLoadWithScaledPixelsAndTenClasses()
    {
        var digits = DigitsDataSet.Load();
        Assert.Equal(1_797, digits.Count);
        Assert.Equal([1_797, 1, 8, 8], digits["x"].Shape.ToArray());
        Assert.InRange(digits["x"].Floats.Min(), 0f, 0f);
        Assert.InRange(digits["x"].Floats.Max(), 1f, 1f);
        Assert.Equal(Enumerable.Range(0, 10), digits["y"].Ints.Distinct().Order());
    }

    [Fact]
    public void TheSplitIsTheSameEveryTime()
    {
        var (a, b) = (SearchTask.Digits(), SearchTask.Digits());
        Assert.Equal(360, a.Data.Test!.Count);
        Assert.Equal(1_797 - 360, a.Data.Train.Count + a.Data.Validation!.Count);
        Assert.Equal(a.Data.Test["x"].Floats, b.Data.Test!["x"].Floats);
        Assert.Equal(a.Data.Validation["y"].Ints, b.Data.Validation!["y"].Ints);
        Assert.Equal((1, 8, 8, 10), (a.Signature.InputDims[0], a.Signature.InputDims[1], a.Signature.InputDims[2], a.Signature.Classes));
    }
}
