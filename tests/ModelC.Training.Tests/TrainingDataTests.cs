namespace ModelC.Training.Tests;

/// <summary>Reading a run's data from a file or a synthetic set, with its validation and test sets.</summary>
public sealed class TrainingDataTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public void ASyntheticSetHoldsOutValidationAndDrawsAFreshTestSet()
    {
        var data = TrainingData.Load("spirals:classes=3", testFile: null, samples: 100, testSamples: 20, validationFraction: 0.1, seed: 1);

        Assert.Equal((90, 10, 20), (data.Train.Count, data.Validation!.Count, data.Test!.Count));
        Assert.Equal("synthetic spirals:classes=3 (100 samples, 20 test)", data.Description);
        Assert.NotEqual(data.Train["x"].Floats.Take(2), data.Test["x"].Floats.Take(2));
    }

    [Fact]
    public void AFileHasNoTestSetUnlessGivenOne()
    {
        var train = _folder.File("train.csv");
        File.WriteAllText(train, "x,y\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"{i},{i % 2}\n")));
        var test = _folder.File("test.csv");
        File.WriteAllText(test, "x,y\n1,0\n2,1\n");

        var alone = TrainingData.Load(train, testFile: null, samples: 1, testSamples: 1, validationFraction: 0, seed: 1);
        var withTest = TrainingData.Load(train, test, samples: 1, testSamples: 1, validationFraction: 0.25, seed: 1);

        Assert.Equal((20, null, null, "train.csv (20 samples)"), (alone.Train.Count, alone.Validation, alone.Test, alone.Description));
        Assert.Equal((15, 5, 2), (withTest.Train.Count, withTest.Validation!.Count, withTest.Test!.Count));
    }

    [Theory]
    [InlineData("missing.npz")]
    [InlineData("runs/train")]
    public void ASourceThatLooksLikeAMissingFileIsReportedAsOne(string source)
    {
        var e = Assert.Throws<FormatException>(() => TrainingData.Load(source, null, 10, 10, 0.1, 0));
        Assert.Equal($"data file not found: {source}", e.Message);
    }

    public void Dispose() => _folder.Dispose();
}
