using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime.Checkpoints;
using ModelC.Runtime.Data;
using ModelC.Runtime.Initialization;

namespace ModelC.Cli;

/// <summary>
/// The weights of a graph's parameters and states, by name: drawn from their initialisations
/// with a seed (the values <c>modelc run --seed</c> uses), or read from a checkpoint file.
/// </summary>
internal static class GraphWeights
{
    /// <summary>Every parameter and state of <paramref name="graph"/> drawn as <see cref="Runtime.Execution.ModelInstance.Initialize"/> draws it.</summary>
    public static Dictionary<string, DataArray> Sample(Graph graph, ulong seed)
    {
        var weights = new Dictionary<string, DataArray>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var (name, init) = node.Op switch
            {
                ParameterOp p => (p.Name, p.Init),
                StateOp s => (s.Name, s.Init),
                _ => (null, null),
            };
            if (name is null || init is null)
            {
                continue;
            }
            var shape = node.Type.Shape.Dims.Select(d => d.FixedSize).ToArray();
            var values = new float[shape.Aggregate(1, (n, d) => checked(n * d))];
            ParameterSampler.Fill(init.ToSpec(), values, ParameterSampler.StreamSeed(seed, name));
            weights[name] = DataArray.Of(values, shape);
        }
        return weights;
    }

    /// <summary>
    /// Replaces the weights by those of the checkpoint at <paramref name="path"/> (after
    /// <paramref name="renames"/>), which must hold every one and nothing else (PyTorch's
    /// BatchNorm update counters aside).
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is unreadable or does not fit.</exception>
    public static void Load(Dictionary<string, DataArray> weights, string path, WeightRenames renames)
    {
        var checkpoint = renames.Apply(WeightFiles.Read(path), path);
        var tensors = checkpoint.Tensors.Where(t => !t.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        if (tensors.FirstOrDefault(t => !weights.ContainsKey(t.Key)).Key is { } unknown)
        {
            throw new CheckpointFormatException(path, $"holds '{unknown}', which the model does not have (map names with --rename from=to)");
        }
        if (weights.Keys.FirstOrDefault(n => !checkpoint.Tensors.ContainsKey(n)) is { } missing)
        {
            throw new CheckpointFormatException(path, $"lacks the model's '{missing}'");
        }
        foreach (var (name, tensor) in tensors)
        {
            weights[name] = tensor;
        }
    }
}
