using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Execution;

/// <summary>
/// A program's kernel schedule under one binding of its symbolic dimensions: every buffer's shape
/// and memory, and each kernel bound to its buffers and the symbol values. The caller's tensors
/// (inputs, outputs, parameters, states) are views of storage allocated for the largest binding;
/// temporaries are placed in an arena planned for this binding.
/// </summary>
internal sealed class BoundSchedule
{
    private BoundSchedule(SymbolBindings bindings, long[][] shapes, DeviceBuffer[] buffers, PreparedKernel[] kernels, (DeviceBuffer From, DeviceBuffer To)[] commits)
    {
        Bindings = bindings;
        Shapes = shapes;
        Buffers = buffers;
        Kernels = kernels;
        Commits = commits;
    }

    /// <summary>The symbol values.</summary>
    public SymbolBindings Bindings { get; }

    /// <summary>Each buffer's shape under <see cref="Bindings"/>.</summary>
    public long[][] Shapes { get; }

    /// <summary>Each buffer's memory, as long as its shape needs.</summary>
    public DeviceBuffer[] Buffers { get; }

    /// <summary>The kernels in order, prepared for <see cref="Buffers"/> and <see cref="Bindings"/>.</summary>
    public PreparedKernel[] Kernels { get; }

    /// <summary>The copies of each updated parameter or state (<c>w:next</c>) over the old value, after the kernels (none for updates written in place).</summary>
    public (DeviceBuffer From, DeviceBuffer To)[] Commits { get; }

    /// <summary>The bytes of the arena that <paramref name="manifest"/>'s temporaries need under <paramref name="bindings"/>.</summary>
    public static long ArenaBytes(ModelManifest manifest, SymbolBindings bindings) => PlanArena(manifest, bindings).Size;

    /// <summary>
    /// Binds <paramref name="manifest"/>'s schedule to <paramref name="bindings"/>: the caller's
    /// tensors are the start of their <paramref name="storage"/>, temporaries lie in
    /// <paramref name="arena"/> where it is large enough and else in an arena of their own from
    /// <paramref name="device"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A kernel is missing from <paramref name="kernels"/>.</exception>
    public static BoundSchedule Create(ModelManifest manifest, IKernelLibrary kernels, IComputeDevice device, SymbolBindings bindings, DeviceBuffer[] storage, DeviceBuffer arena)
    {
        var shapes = manifest.Buffers.Select(b => bindings.Resolve(b.Shape)).ToArray();
        var buffers = new DeviceBuffer[manifest.Buffers.Length];
        var (offsets, size) = PlanArena(manifest, bindings);
        // Plans for smaller sizes almost always fit the largest one's arena; the greedy placement
        // does not promise it, so a plan that does not fit gets memory of its own.
        var temporaries = size <= arena.Bytes ? arena : device.Allocate(size);
        var temporary = 0;
        foreach (var buffer in manifest.Buffers)
        {
            buffers[buffer.Id] = buffer.Temporary
                ? temporaries.Slice(offsets[temporary++], ByteCount(buffer, bindings))
                : storage[buffer.Id].Slice(0, ByteCount(buffer, bindings));
        }
        var prepared = manifest.Kernels.Select(k => device.Prepare(kernels, k.Symbol, [.. k.Buffers.Select(b => buffers[b])], bindings.Ordered.AsSpan())).ToArray();
        var tensors = manifest.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        // The validator has checked that each target exists and has the update's type and shape.
        var commits = manifest.Tensors.Where(t => t.Replaces is not null && !t.InPlace).Select(t => (buffers[t.Buffer], buffers[tensors[t.Replaces!].Buffer])).ToArray();
        return new BoundSchedule(bindings, shapes, buffers, prepared, commits);
    }

    /// <summary>The buffer of each update written in place, with the buffer of the tensor it replaces (whose memory it uses).</summary>
    public static Dictionary<int, int> InPlaceBuffers(ModelManifest manifest)
    {
        var tensors = manifest.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        return manifest.Tensors.Where(t => t.InPlace).ToDictionary(t => t.Buffer, t => tensors[t.Replaces!].Buffer);
    }

    /// <summary>The bytes <paramref name="buffer"/> takes under <paramref name="bindings"/>.</summary>
    public static long ByteCount(BufferSpec buffer, SymbolBindings bindings) =>
        checked(bindings.Resolve(buffer.Shape).Aggregate(1L, (p, d) => checked(p * d)) * buffer.ElementSize);

    // Temporaries share one arena, in the order the manifest lists them.
    private static (long[] Offsets, long Size) PlanArena(ModelManifest manifest, SymbolBindings bindings) =>
        ArenaPlanner.Plan([.. manifest.Buffers.Where(b => b.Temporary).Select(b => new ArenaRequest(ByteCount(b, bindings), b.FirstKernel, b.LastKernel))]);
}
