using ModelC.Runtime.Data;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Tests;

public sealed class DataArrayTests
{
    [Fact]
    public void ShapeMustMatchData()
    {
        var e = Assert.Throws<ArgumentException>(() => DataArray.Of(new float[5], 2, 3));
        Assert.StartsWith("shape [2, 3] holds 6 elements, the data 5", e.Message);
    }

    [Fact]
    public void TypedAccessChecksTheType()
    {
        var a = DataArray.Of(new[] { 1, 2 }, 2);
        Assert.Equal(ElementType.I32, a.Type);
        Assert.Equal([1, 2], a.Ints);
        Assert.Equal("the array holds i32, not f32", Assert.Throws<InvalidOperationException>(() => a.Floats).Message);
    }
}
