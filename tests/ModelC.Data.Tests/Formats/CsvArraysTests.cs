using ModelC.Data.Formats;

namespace ModelC.Data.Tests.Formats;

/// <summary>CSV columns named <c>x[0]</c>, <c>x[1]</c>, … as one array per sample, the shape a model input takes.</summary>
public sealed class CsvArraysTests
{
    private static CsvTable Table(string text) => CsvFile.Read(new StringReader(text), "data.csv");

    [Fact]
    public void IndexedColumnsFormOneArrayInIndexOrder()
    {
        var arrays = Table("x[1],y,x[0]\n1,0,10\n2,1,20\n3,2,30\n").ToArrays();

        Assert.Equal(["x", "y"], arrays.Keys);
        Assert.Equal([3, 2], arrays["x"].Shape.ToArray());
        Assert.Equal([10f, 1f, 20f, 2f, 30f, 3f], arrays["x"].Floats);
        Assert.Equal([3], arrays["y"].Shape.ToArray());
        Assert.Equal([0f, 1f, 2f], arrays["y"].Floats);
    }

    [Fact]
    public void BracketsThatAreNoIndexKeepTheColumnAsItIs() =>
        Assert.Equal(["a[b]", "c[]"], Table("a[b],c[]\n1,2\n").ToArrays().Keys);

    [Theory]
    [InlineData("x[0],x[2]\n1,2\n", "data.csv: the columns of 'x' (x[0], x[2]) must be x[0] … x[1], each once")]
    [InlineData("x,x[0]\n1,2\n", "data.csv: the columns of 'x' (x, x[0]) must be x[0] … x[1], each once")]
    public void IndicesMustCountFromZeroOnce(string text, string message) =>
        Assert.Equal(message, Assert.Throws<DataFormatException>(() => Table(text).ToArrays()).Message);
}
