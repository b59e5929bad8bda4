using ModelC.Backend.Kernels;

namespace ModelC.Backend.Artifacts;

/// <summary>
/// Finds the updates of parameters and states (<c>w:next</c>) that their kernel can write over the
/// old value, so that they need no memory of their own and no copy after the run: the update's
/// only writer is a map kernel that reads the old value at the element it writes and nowhere else,
/// and no later kernel reads the old value. (A kernel reading the update's buffer after it reads
/// the new value, which is then where the old one was: that is what it wants.)
/// </summary>
public static class InPlaceUpdates
{
    /// <summary>The update buffers of <paramref name="program"/> that can be written in place.</summary>
    public static IReadOnlySet<KernelBuffer> Of(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var named = program.Buffers.Where(b => b.Name is not null && b.Role is not Runtime.Manifest.TensorRole.Output)
            .ToDictionary(b => b.Name!, StringComparer.Ordinal);
        var result = new HashSet<KernelBuffer>(ReferenceEqualityComparer.Instance);
        foreach (var update in program.Buffers.Where(b => b.Replaces is not null))
        {
            var writers = program.Kernels.Select((k, i) => (Kernel: k, Index: i)).Where(k => k.Kernel.Output.Id == update.Id).ToList();
            if (writers is [{ Kernel: MapKernel map, Index: var at }]
                && named.TryGetValue(update.Replaces!, out var old)
                && ReadsOnlyOwnElement(map, old)
                && !program.Kernels.Skip(at + 1).Any(k => k.Reads.Any(b => b.Id == old.Id)))
            {
                result.Add(update);
            }
        }
        return result;
    }

    // Every load of `old` indexes it with the kernel's loop variables in order: the element the iteration writes.
    private static bool ReadsOnlyOwnElement(MapKernel kernel, KernelBuffer old) =>
        ExprWalker.Loads(kernel.Body).Where(l => l.Buffer.Id == old.Id).All(l =>
            l.Indices.Length == kernel.Loops.Length && l.Indices.Select((index, i) => index is LoopVar v && v == kernel.Loops[i].Var).All(same => same));
}
