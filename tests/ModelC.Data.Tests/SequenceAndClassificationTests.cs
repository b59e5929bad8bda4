using ModelC.Data.Synthetic;

namespace ModelC.Data.Tests;

public sealed class SequenceAndClassificationTests
{
    [Theory]
    [InlineData(SequenceTask.Copy, "target")]
    [InlineData(SequenceTask.Reverse, "reversed")]
    [InlineData(SequenceTask.Sort, "target")]
    public void TargetsFollowTheTask(SequenceTask task, string targetName)
    {
        const int count = 50, length = 12, vocab = 16;
        var data = SequenceDataSet.Generate(task, count, seed: 3, length, vocab);
        Assert.Equal(["tokens", targetName], data.Names.ToArray());
        Assert.Equal([count, length], data[targetName].Shape.ToArray());
        var (tokens, targets) = (data["tokens"].Ints, data[targetName].Ints);
        Assert.All(tokens, t => Assert.InRange(t, 0, vocab - 1));
        Assert.Equal(Enumerable.Range(0, vocab), tokens.Distinct().Order());
        for (var s = 0; s < count; s++)
        {
            var sequence = tokens.AsSpan(s * length, length).ToArray();
            var target = targets.AsSpan(s * length, length).ToArray();
            int[] expected = task switch
            {
                SequenceTask.Copy => sequence,
                SequenceTask.Reverse => [.. sequence.Reverse()],
                _ => [.. sequence.Order()],
            };
            Assert.Equal(expected, target);
        }
        Assert.Equal(tokens, SequenceDataSet.Generate(task, count, seed: 3, length, vocab)["tokens"].Ints);
        Assert.NotEqual(tokens, SequenceDataSet.Generate(task, count, seed: 4, length, vocab)["tokens"].Ints);
    }

    [Fact]
    public void ReverseMatchesTheExampleModelsInputs()
    {
        var source = File.ReadAllText(ModelC.Tests.RepositoryPaths.Get("examples", "macaron", "reverse.mdl"));
        Assert.Contains("input  tokens: i32[B, S];", source, StringComparison.Ordinal);
        Assert.Contains("input  reversed: i32[B, S];", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spirals")]
    [InlineData("circles")]
    public void ClassificationSetsAreBalancedAndSeparated(string kind)
    {
        const int count = 300, classes = 3;
        var data = kind == "spirals"
            ? SpiralsDataSet.Generate(count, seed: 1, classes, noise: 0.02)
            : CirclesDataSet.Generate(count, seed: 1, classes, noise: 0.02);
        Assert.Equal(["x", "y"], data.Names.ToArray());
        Assert.Equal([count, 2], data["x"].Shape.ToArray());
        Assert.Equal([count], data["y"].Shape.ToArray());
        var (x, y) = (data["x"].Floats, data["y"].Ints);
        Assert.All(Enumerable.Range(0, classes), c => Assert.Equal(count / classes, y.Count(v => v == c)));
        Assert.All(x, v => Assert.InRange(v, -1.2f, 1.2f));
        // Nearest neighbour agrees with the label almost everywhere: the classes are learnable.
        var agree = 0;
        for (var i = 0; i < count; i++)
        {
            var nearest = Enumerable.Range(0, count).Where(j => j != i)
                .MinBy(j => Math.Pow(x[2 * i] - x[2 * j], 2) + Math.Pow(x[2 * i + 1] - x[2 * j + 1], 2));
            agree += y[nearest] == y[i] ? 1 : 0;
        }
        Assert.True(agree > 0.9 * count, $"{agree} of {count}");
    }
}
