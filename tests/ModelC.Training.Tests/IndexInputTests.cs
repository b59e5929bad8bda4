using ModelC.Runtime.Manifest;

namespace ModelC.Training.Tests;

/// <summary>
/// A classifier's labels carry their range in the manifests of its train step and evaluation
/// program, and a run fed a label outside it is refused before any kernel runs.
/// </summary>
public sealed class IndexInputTests(CompiledClassifier classifier) : IClassFixture<CompiledClassifier>
{
    [Fact]
    public void TheLabelsAreBoundedByTheClassesInBothPrograms()
    {
        foreach (var manifest in new[] { classifier.Programs.TrainManifest, classifier.Programs.EvaluationManifest })
        {
            var inputs = manifest.TensorsOf(TensorRole.Input).ToDictionary(t => t.Name, t => t.IndexBound);
            Assert.Equal(3, inputs["y"]);
            Assert.Null(inputs["x"]);
        }
    }

    [Fact]
    public void ARunFedALabelOutsideTheClassesIsRefusedAndChangesNothing()
    {
        using var model = classifier.Programs.TrainStep(batch: 4);
        var weight = model.Manifest.TensorsOf(TensorRole.Parameter).First().Name;
        model.Floats("optimizer.lr")[0] = 0.1f;
        model.Floats("x").Fill(1);
        new[] { 0, 1, 2, 7 }.CopyTo(model.Ints("y"));
        var before = model.Copy(weight).Floats;

        var e = Assert.Throws<ArgumentException>(model.Run);

        Assert.Equal("y[3] = 7 is out of range for model Linear (0 to 2)", e.Message);
        Assert.Equal(before, model.Copy(weight).Floats);
        model.Ints("y")[3] = 2;
        model.Run();
        Assert.NotEqual(before, model.Copy(weight).Floats);
    }
}
