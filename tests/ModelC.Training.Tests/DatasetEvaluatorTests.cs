using ModelC.Data.Synthetic;

namespace ModelC.Training.Tests;

/// <summary>Evaluation counts every sample once, whatever the batch size, the short last batch included.</summary>
public sealed class DatasetEvaluatorTests(CompiledClassifier classifier) : IClassFixture<CompiledClassifier>
{
    [Fact]
    public void EveryBatchSizeGivesTheSameMeansTheShortLastBatchIncluded()
    {
        var data = SyntheticData.Create("spirals:classes=3", 10, seed: 1);
        using var trained = classifier.Programs.TrainStep(batch: 4, seed: 3);
        var feed = DataFeed.Of(trained, "optimizer.lr");
        using var evaluator = new DatasetEvaluator(classifier.Programs.Evaluation(), feed, "loss", ClassificationMetric.Find(classifier.Programs.EvaluationManifest));

        var bySample = evaluator.Evaluate(trained, data, 1);
        var byFour = evaluator.Evaluate(trained, data, 4);   // 4 + 4 + 2
        var whole = evaluator.Evaluate(trained, data, 10);

        Assert.Equal(bySample.Loss, byFour.Loss, 1e-6);
        Assert.Equal(bySample.Loss, whole.Loss, 1e-6);
        Assert.Equal(bySample.Accuracy, byFour.Accuracy);
        Assert.Equal(bySample.Accuracy, whole.Accuracy);
        Assert.InRange(bySample.Accuracy!.Value * 10, 0, 10);
        Assert.Equal(bySample.Accuracy.Value * 10, Math.Round(bySample.Accuracy.Value * 10), 9);
    }

    [Fact]
    public void WithoutAMetricThereIsNoAccuracy()
    {
        var data = SyntheticData.Create("spirals:classes=3", 6, seed: 1);
        using var trained = classifier.Programs.TrainStep(batch: 4);
        using var evaluator = new DatasetEvaluator(classifier.Programs.Evaluation(), DataFeed.Of(trained, "optimizer.lr"), "loss", metric: null);

        Assert.Null(evaluator.Evaluate(trained, data, 4).Accuracy);
    }
}
