using ModelC.Data.Formats;

namespace ModelC.Data.Tests.Formats;

public sealed class CsvFileTests
{
    [Fact]
    public void ReadsTheTableAndSplitsOffTheLabels()
    {
        var table = CsvFile.Read(Fixtures.Path("iris_tiny.csv"));
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"], table.ColumnNames);
        Assert.Equal(4, table.RowCount);
        Assert.Equal("[4, 5]", table.Values.ShapeText);
        Assert.Equal([5.1f, 7.0f, 6.3f, 4.9f], table.Column("sepal_length").Floats);

        var (features, labels) = table.SplitLabel("species");
        Assert.Equal("[4, 4]", features.ShapeText);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], features.Floats[..4]);
        Assert.Equal("[4]", labels.ShapeText);
        Assert.Equal([0, 1, 2, 0], labels.Ints);

        var picked = table.Columns("petal_width", "sepal_length");
        Assert.Equal("[4, 2]", picked.ShapeText);
        Assert.Equal([0.2f, 5.1f, 1.4f, 7.0f], picked.Floats[..4]);
        var e = Assert.Throws<ArgumentException>(() => table.Column("colour"));
        Assert.StartsWith($"{Fixtures.Path("iris_tiny.csv")} has no column 'colour' (its columns: sepal_length, sepal_width, petal_length, petal_width, species)", e.Message);
    }

    private static CsvTable Parse(string text, CsvOptions? options = null) => CsvFile.Read(new StringReader(text), "t.csv", options);

    private static string Problem(string text, CsvOptions? options = null)
    {
        var e = Assert.Throws<DataFormatException>(() => Parse(text, options));
        Assert.Equal($"t.csv: {e.Problem}", e.Message);
        return e.Problem;
    }

    [Fact]
    public void NumbersInEverySpelling()
    {
        var table = Parse("a,\"b, quoted\",c\r\n 1 ,-2.5e3,nan\n+3,inf,-Infinity\n\"4\",1E-2,NaN\n");
        Assert.Equal(["a", "b, quoted", "c"], table.ColumnNames);
        Assert.Equal([1f, -2500f, float.NaN, 3f, float.PositiveInfinity, float.NegativeInfinity, 4f, 0.01f, float.NaN], table.Values.Floats);
    }

    [Fact]
    public void OtherSeparatorsAndEmptyCellsOnRequest()
    {
        var table = Parse("x;y\n1;\n;2\n", new CsvOptions { Separator = ';', EmptyCellsAreNaN = true });
        Assert.Equal([1f, float.NaN, float.NaN, 2f], table.Values.Floats);
    }

    [Fact]
    public void AHeaderAloneIsAnEmptyTable()
    {
        var table = Parse("a,b\n");
        Assert.Equal(0, table.RowCount);
        Assert.Equal("[0, 2]", table.Values.ShapeText);
    }

    [Fact]
    public void ErrorsGiveLineAndColumn()
    {
        Assert.Equal("line 3, column 2 (b): 'abc' is not a number", Problem("a,b\n1,2\n3,abc\n"));
        Assert.Equal("line 4: 2 cells, the header has 3 columns", Problem("a,b,c\n1,2,3\n\n4,5\n"));
        Assert.Equal("line 2: 4 cells, the header has 3 columns", Problem("a,b,c\n1,2,3,4\n"));
        Assert.Equal("line 2, column 1 (a): empty cell", Problem("a,b\n,2\n"));
        Assert.Equal("line 2, column 2 (b): unterminated quote (a quoted cell must end on its line)", Problem("a,b\n1,\"2\n3\"\n"));
        Assert.Equal("line 2, column 1 (a): text after a closing quote", Problem("a,b\n\"1\"x,2\n"));
        Assert.Equal("line 1, column 2: empty column name", Problem("a,,c\n"));
        Assert.Equal("line 2, column 3: column name 'a' repeats column 1", Problem("\na,b,a\n"));
        Assert.Equal("empty: no header row", Problem(" \n\n"));
        Assert.Equal("line 3, column 1 (a): 1.5 is not an integer label",
            Assert.Throws<DataFormatException>(() => Parse("a\n1\n1.5\n").Labels("a")).Problem);
    }
}
