using ModelC.Runtime.Data;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Checkpoints;

/// <summary>
/// Saves and restores a model's parameters and states as safetensors, under their ModelC names
/// and PyTorch's layouts (a linear weight is [out, in]), so that a checkpoint loads into the
/// equivalent torch module's <c>state_dict</c>. A train step's optimizer state (moments and the
/// step count, the states named <c>optimizer.*</c>) travels in the same file, so that training
/// resumes exactly; files without it (PyTorch's) restore the weights and start a fresh optimizer.
/// </summary>
public static class ModelCheckpoint
{
    /// <summary>The prefix of the optimizer's states.</summary>
    public const string OptimizerPrefix = "optimizer.";

    // PyTorch's BatchNorm counts its updates in a buffer ModelC does not keep.
    private const string TorchBatchCounter = ".num_batches_tracked";

    /// <summary>Writes every parameter and state of <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file; replaced only once the new one is complete on disk.</param>
    /// <param name="metadata">Strings stored in the header (epoch, model name…).</param>
    /// <param name="includeOptimizer">Whether the optimizer's states go in too (for resuming).</param>
    public static void Save(ModelInstance model, string path, IReadOnlyDictionary<string, string>? metadata = null, bool includeOptimizer = true) =>
        SafetensorsFile.Write(path, Saved(model, includeOptimizer), metadata);

    /// <summary>As <see cref="Save(ModelInstance, string, IReadOnlyDictionary{string, string}?, bool)"/>, to <paramref name="destination"/> at its position (not atomically; the stream stays open).</summary>
    public static void Save(ModelInstance model, Stream destination, IReadOnlyDictionary<string, string>? metadata = null, bool includeOptimizer = true) =>
        SafetensorsFile.Write(destination, Saved(model, includeOptimizer), metadata);

    /// <summary>
    /// Restores <paramref name="model"/>'s parameters and states from <paramref name="path"/>.
    /// Every parameter and state must be there with its shape and type, except the optimizer's,
    /// which keep their values when absent; a tensor the model does not have is refused.
    /// </summary>
    /// <returns>The checkpoint's metadata.</returns>
    /// <exception cref="CheckpointFormatException">The file is unreadable, or does not fit the model (the message says how).</exception>
    public static IReadOnlyDictionary<string, string> Load(ModelInstance model, string path) =>
        Load(model, SafetensorsFile.Read(path), path);

    /// <summary>As <see cref="Load(ModelInstance, string)"/>, from a checkpoint already read from <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointFormatException">The checkpoint does not fit the model (the message says how).</exception>
    public static IReadOnlyDictionary<string, string> Load(ModelInstance model, Checkpoint checkpoint, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(checkpoint);
        var expected = Persistent(model).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var unknown = checkpoint.Tensors.Keys.Where(n => !expected.ContainsKey(n) && !n.EndsWith(TorchBatchCounter, StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new CheckpointFormatException(path, $"holds {Quote(unknown)}, which model {model.Manifest.Name} does not have");
        }
        var missing = expected.Keys.Where(n => !checkpoint.Tensors.ContainsKey(n) && !IsOptimizerState(n)).ToList();
        if (missing.Count > 0)
        {
            throw new CheckpointFormatException(path, $"lacks {Quote(missing)} of model {model.Manifest.Name}");
        }
        foreach (var (name, tensor) in expected)
        {
            if (!checkpoint.Tensors.TryGetValue(name, out var stored))
            {
                continue;
            }
            var shape = model.ShapeOf(name);
            var type = model.Manifest.Buffers[tensor.Buffer].Type;
            if (stored.Type != type || !stored.Shape.Select(d => (long)d).SequenceEqual(shape))
            {
                throw new CheckpointFormatException(path,
                    $"tensor '{name}' is {Describe(stored.Type, stored.Shape.Select(d => (long)d))} in the file but {Describe(type, shape)} in the model");
            }
        }
        foreach (var (name, stored) in checkpoint.Tensors.Where(t => expected.ContainsKey(t.Key)))
        {
            switch (stored.Type)
            {
                case ElementType.F32:
                    stored.Floats.CopyTo(model.Floats(name));
                    break;
                case ElementType.I32:
                    stored.Ints.CopyTo(model.Ints(name));
                    break;
                default:
                    stored.Bytes.CopyTo(model.Bytes(name));
                    break;
            }
        }
        return checkpoint.Metadata;
    }

    /// <summary>Whether a state belongs to the optimizer rather than to the model.</summary>
    public static bool IsOptimizerState(string name) => name.StartsWith(OptimizerPrefix, StringComparison.Ordinal);

    private static List<KeyValuePair<string, DataArray>> Saved(ModelInstance model, bool includeOptimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. Persistent(model).Where(t => includeOptimizer || !IsOptimizerState(t.Name)).Select(t => KeyValuePair.Create(t.Name, model.Copy(t.Name)))];
    }

    private static IEnumerable<TensorSpec> Persistent(ModelInstance model) =>
        model.Manifest.Tensors.Where(t => t.Role is TensorRole.Parameter or TensorRole.State);

    private static string Describe(ElementType type, IEnumerable<long> shape) =>
        $"{type.ToString().ToLowerInvariant()}[{string.Join(", ", shape)}]";

    private static string Quote(List<string> names) =>
        string.Join(", ", names.Take(5).Select(n => $"'{n}'")) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
}
