using ModelC.Runtime;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Training;

/// <summary>
/// Accuracy for classifiers: compares an f32 output of class scores <c>[B, …, C]</c> with an i32
/// input of labels <c>[B, …]</c> (a classifier, or a per-token classifier such as a sequence
/// model), counting the positions where the highest score's class is the label (the first such
/// class on ties).
/// </summary>
/// <param name="scores">The output holding the class scores.</param>
/// <param name="labels">The input holding the labels.</param>
public sealed class ClassificationMetric(string scores, string labels)
{
    /// <summary>The output holding the class scores.</summary>
    public string Scores { get; } = scores;

    /// <summary>The input holding the labels.</summary>
    public string Labels { get; } = labels;

    /// <summary>
    /// The metric of a compiled evaluation program, or null when it is no classifier: the first
    /// f32 output of rank 2 or more with an i32 input shaped as its leading dimensions that the
    /// output does not depend on (a sequence model's tokens have the labels' shape too, but feed
    /// the scores). What depends on what is read from the kernels' buffers in
    /// <paramref name="manifest"/>, so no compiler is needed.
    /// </summary>
    public static ClassificationMetric? Find(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var labels = manifest.TensorsOf(TensorRole.Input).Where(i => manifest.Buffers[i.Buffer].Type == ElementType.I32).ToList();
        var outputs = manifest.TensorsOf(TensorRole.Output)
            .Where(o => o.Replaces is null && manifest.Buffers[o.Buffer] is { Type: ElementType.F32, Shape.Length: >= 2 });
        foreach (var output in outputs)
        {
            var dims = manifest.Buffers[output.Buffer].Shape;
            var feeding = BuffersFeeding(manifest, output.Buffer);
            var label = labels.FirstOrDefault(l => !feeding.Contains(l.Buffer) && manifest.Buffers[l.Buffer].Shape.SequenceEqual(dims[..^1]));
            if (label is not null)
            {
                return new ClassificationMetric(output.Name, label.Name);
            }
        }
        return null;
    }

    // The buffer and every buffer its value is computed from: each kernel writes its first buffer from the others.
    private static HashSet<int> BuffersFeeding(ModelManifest manifest, int buffer)
    {
        var writers = manifest.Kernels.ToLookup(k => k.Buffers[0]);
        var seen = new HashSet<int>();
        var stack = new Stack<int>([buffer]);
        while (stack.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var read in writers[next].SelectMany(k => k.Buffers.Skip(1)))
                {
                    stack.Push(read);
                }
            }
        }
        return seen;
    }

    /// <summary>Correct predictions and positions in the batch <paramref name="model"/> just ran.</summary>
    public (long Correct, long Total) Count(ModelInstance model)
    {
        ArgumentNullException.ThrowIfNull(model);
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
