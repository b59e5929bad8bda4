using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Cli.Training;

/// <summary>
/// Accuracy for classifiers: found when the model has an f32 output of class scores
/// <c>[B, …, C]</c> and an i32 input of labels <c>[B, …]</c> with the same leading dimensions
/// (a classifier, or a per-token classifier such as a sequence model). Counts the positions
/// where the highest score's class is the label.
/// </summary>
internal sealed class ClassificationMetric(string scores, string labels)
{
    /// <summary>The output holding the class scores.</summary>
    public string Scores { get; } = scores;

    /// <summary>The input holding the labels.</summary>
    public string Labels { get; } = labels;

    /// <summary>The metric of <paramref name="model"/>, or null when it is no classifier.</summary>
    public static ClassificationMetric? Find(ModelManifest model)
    {
        var outputs = model.TensorsOf(TensorRole.Output)
            .Where(t => t.Replaces is null && model.Buffers[t.Buffer].Type == ElementType.F32 && model.Buffers[t.Buffer].Shape.Length >= 2);
        var labels = model.TensorsOf(TensorRole.Input).Where(t => model.Buffers[t.Buffer].Type == ElementType.I32).ToList();
        foreach (var output in outputs)
        {
            var shape = model.Buffers[output.Buffer].Shape;
            var label = labels.FirstOrDefault(l => model.Buffers[l.Buffer].Shape.SequenceEqual(shape[..^1]));
            if (label is not null)
            {
                return new ClassificationMetric(output.Name, label.Name);
            }
        }
        return null;
    }

    /// <summary>Correct predictions and positions in the batch <paramref name="model"/> just ran.</summary>
    public (long Correct, long Total) Count(ModelInstance model)
    {
        var scores = model.Floats(Scores);
        var labels = model.Ints(Labels);
        var classes = scores.Length / labels.Length;
        long correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = scores.Slice(i * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return (correct, labels.Length);
    }
}
