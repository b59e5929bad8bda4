using ModelC.Data;
using ModelC.Runtime.Data;

namespace ModelC.Training.Tests;

/// <summary>Which inputs a data set feeds, how it is checked against them, and what a batch copies in.</summary>
public sealed class DataFeedTests(CompiledClassifier classifier) : IClassFixture<CompiledClassifier>
{
    private static Dataset Data(DataArray x, DataArray y) => new(("x", x), ("y", y));

    [Fact]
    public void EveryInputButTheExcludedOneIsFedAtTheModelsBatchSize()
    {
        using var model = classifier.Programs.TrainStep(batch: 4);
        var feed = DataFeed.Of(model, "optimizer.lr");
        Assert.Equal(["x", "y"], feed.Names);
        Assert.Equal(4, feed.BatchSize);
    }

    [Fact]
    public void AnInputWithoutABatchDimensionCannotBeFed()
    {
        using var model = classifier.Programs.TrainStep(batch: 4);
        var e = Assert.Throws<InvalidOperationException>(() => DataFeed.Of(model));
        Assert.Equal("input 'optimizer.lr' has no batch dimension first ([]), so a data set cannot feed it", e.Message);
    }

    [Fact]
    public void WholeFloatsFeedingAnIntegerInputBecomeIntegers()
    {
        using var model = classifier.Programs.TrainStep(batch: 4);
        var data = Data(DataArray.Of(new float[6], 3, 2), DataArray.Of(new[] { 2f, 0f, 1f }, 3));

        var checkedData = DataFeed.Of(model, "optimizer.lr").Check(data, "the data");

        Assert.Equal(new[] { 2, 0, 1 }, checkedData["y"].Ints);
        Assert.Same(data["x"], checkedData["x"]);
    }

    [Theory]
    [InlineData("fraction", "the data: 'y' feeds an integer input but holds 1.5 at element 1")]
    [InlineData("shape", "the data: samples of 'x' are [3], the model's input takes [2]")]
    [InlineData("type", "the data: 'x' holds i32, the model's input takes f32")]
    [InlineData("missing", "the data has no array 'x' for the model's input x: f32[B, 2]; it has 'y' i32[B]")]
    public void DataThatDoesNotFitIsRefusedWithWhatIsWrong(string problem, string message)
    {
        using var model = classifier.Programs.TrainStep(batch: 4);
        var labels = DataArray.Of(new[] { 0, 1 }, 2);
        var data = problem switch
        {
            "fraction" => Data(DataArray.Of(new float[4], 2, 2), DataArray.Of(new[] { 0f, 1.5f }, 2)),
            "shape" => Data(DataArray.Of(new float[6], 2, 3), labels),
            "type" => Data(DataArray.Of(new int[4], 2, 2), labels),
            _ => new Dataset(("y", labels)),
        };

        var e = Assert.Throws<InvalidOperationException>(() => DataFeed.Of(model, "optimizer.lr").Check(data, "the data"));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void ALabelThatIsNotAClassIsRefusedNamingItsSample(int bad)
    {
        using var model = classifier.Programs.TrainStep(batch: 4);
        var data = Data(DataArray.Of(new float[10], 5, 2), DataArray.Of(new[] { 0, 2, 1, bad, 0 }, 5));

        var e = Assert.Throws<InvalidOperationException>(() => DataFeed.Of(model, "optimizer.lr").Check(data, "the data"));

        Assert.Equal($"the data: y[3] = {bad} is out of range for model Linear (0 to 2)", e.Message);
    }

    [Fact]
    public void ABatchCopiesTheChosenSamplesInOrder()
    {
        using var model = classifier.Programs.TrainStep(batch: 2);
        var data = Data(DataArray.Of(new[] { 0f, 1, 10, 11, 20, 21 }, 3, 2), DataArray.Of(new[] { 0, 1, 2 }, 3));

        DataFeed.Of(model, "optimizer.lr").Feed(model, data, [2, 0]);

        Assert.Equal(new[] { 20f, 21, 0, 1 }, model.Floats("x").ToArray());
        Assert.Equal(new[] { 2, 0 }, model.Ints("y").ToArray());
    }
}
