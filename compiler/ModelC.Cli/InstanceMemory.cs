using System.Globalization;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Cli;

/// <summary>
/// Checks, before a model is instantiated, that its tensors at the requested dimensions fit in a
/// runtime array and in this machine's memory: a huge <c>--batch</c> or input dimension is then
/// one clear error instead of an overflow trace, or an allocation that the kernel kills.
/// </summary>
internal static class InstanceMemory
{
    /// <exception cref="InvalidOperationException">A tensor is too large, or all of them are (the message says which and by how much).</exception>
    /// <exception cref="ArgumentException">A symbol has no value or one below 1.</exception>
    public static void Check(ModelManifest manifest, IReadOnlyDictionary<string, int> symbols)
    {
        var bindings = new SymbolBindings(manifest.Symbols, symbols);
        var at = symbols.Count == 0 ? "" : " at " + string.Join(", ", manifest.Symbols.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s}={symbols[s]}")));
        // In doubles: products of huge dimensions overflow a long, and only the order of magnitude matters.
        double persistent = 0, largestTemporary = 0;
        foreach (var buffer in manifest.Buffers)
        {
            var elements = bindings.Resolve(buffer.Shape).Aggregate(1.0, (p, d) => p * d);
            if (elements > Array.MaxLength)
            {
                var name = manifest.Tensors.FirstOrDefault(t => t.Buffer == buffer.Id)?.Name ?? $"buffer {buffer.Id}";
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"tensor '{name}' would hold {elements:G4} elements{at}, more than one tensor can ({Array.MaxLength:N0})"));
            }
            var bytes = elements * buffer.ElementSize;
            if (buffer.Temporary)
            {
                largestTemporary = Math.Max(largestTemporary, bytes);
            }
            else
            {
                persistent += bytes;
            }
        }
        // A lower bound of what the instance allocates: temporaries may share memory, the rest cannot.
        var needed = persistent + largestTemporary;
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"its tensors would need at least {needed / (1 << 30):F1} GiB{at}, more than the {available / (double)(1 << 30):F1} GiB of memory available"));
        }
    }
}
