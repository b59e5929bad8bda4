using System.Collections.ObjectModel;
using ModelC.Runtime.Data;

namespace ModelC.Runtime.Checkpoints;

/// <summary>The contents of a checkpoint file: named tensors and a string metadata map.</summary>
public sealed class Checkpoint
{
    internal Checkpoint(OrderedDictionary<string, DataArray> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        // Read-only views over ordered maps, so enumeration keeps the file's order.
        Tensors = new ReadOnlyDictionary<string, DataArray>(tensors);
        Metadata = new ReadOnlyDictionary<string, string>(new OrderedDictionary<string, string>(metadata));
    }

    /// <summary>The tensors by name, enumerated in the order of the file's header.</summary>
    public IReadOnlyDictionary<string, DataArray> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>This checkpoint with each tensor under the name <paramref name="rename"/> gives it (metadata kept).</summary>
    /// <exception cref="ArgumentException">Two tensors get the same name.</exception>
    public Checkpoint Renamed(Func<string, string> rename)
    {
        ArgumentNullException.ThrowIfNull(rename);
        var tensors = new OrderedDictionary<string, DataArray>();
        foreach (var (name, tensor) in Tensors)
        {
            if (!tensors.TryAdd(rename(name), tensor))
            {
                throw new ArgumentException($"two tensors are renamed to '{rename(name)}'");
            }
        }
        return new Checkpoint(tensors, Metadata);
    }
}
