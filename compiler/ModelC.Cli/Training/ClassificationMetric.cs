using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime.Execution;

namespace ModelC.Cli.Training;

/// <summary>
/// Accuracy for classifiers: found when the model has an f32 output of class scores
/// <c>[B, …, C]</c> and an i32 input of labels <c>[B, …]</c> with the same leading dimensions
/// (a classifier, or a per-token classifier such as a sequence model). Counts the positions
/// where the highest score's class is the label (the first such class on ties).
/// </summary>
internal sealed class ClassificationMetric(string scores, string labels)
{
    /// <summary>The output holding the class scores.</summary>
    public string Scores { get; } = scores;

    /// <summary>The input holding the labels.</summary>
    public string Labels { get; } = labels;

    /// <summary>
    /// The metric of <paramref name="graph"/> (an evaluation graph), or null when it is no
    /// classifier. The labels are an input the scores do not depend on (a sequence model's
    /// tokens have the labels' shape too, but feed the scores).
    /// </summary>
    public static ClassificationMetric? Find(Graph graph)
    {
        var labels = graph.Inputs.Where(i => i.Type.DType == DType.I32).ToList();
        foreach (var output in graph.Outputs.Where(o => o.Role == OutputRole.Output && o.Value.Type.DType == DType.F32 && o.Value.Type.Shape.Rank >= 2))
        {
            var dims = output.Value.Type.Shape.Dims;
            var feeding = Ancestors(output.Value);
            var label = labels.FirstOrDefault(l => !feeding.Contains(l) && l.Type.Shape.Dims.SequenceEqual(dims[..^1]));
            if (label is not null)
            {
                return new ClassificationMetric(output.Name, ((InputOp)label.Op).Name);
            }
        }
        return null;
    }

    private static HashSet<Node> Ancestors(Node node)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>([node]);
        while (stack.TryPop(out var next))
        {
            if (seen.Add(next))
            {
                foreach (var input in next.Inputs)
                {
                    stack.Push(input);
                }
            }
        }
        return seen;
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
