using ModelC.Backend.Kernels;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Scheduling;

/// <summary>
/// Writes the updates of parameters and states (<c>w:next</c>) over the old values where that is
/// safe, so that they need no memory of their own and no copy after the run: the update's only
/// writer is a map kernel that reads the old value at the element it writes and nowhere else (in
/// any of its bodies: a multi-output kernel evaluates them all before it stores), and no later
/// kernel reads the old value. That kernel then stores into the old value's buffer, and
/// later kernels reading the update read it there. The kernel receives one pointer for the value
/// it reads and writes, which LLVM's vectoriser sees is the same element (two pointers to the same
/// memory would fail its overlap check and run the scalar loop).
/// </summary>
public static class InPlaceUpdates
{
    /// <summary><paramref name="program"/> with every update that can be written in place moved onto the buffer it replaces.</summary>
    public static KernelProgram Apply(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var named = program.Buffers.Where(b => b.Name is not null && b.Role is not TensorRole.Output)
            .ToDictionary(b => b.Name!, StringComparer.Ordinal);
        var moved = new Dictionary<int, KernelBuffer>();
        foreach (var update in program.Buffers.Where(b => b.Replaces is not null))
        {
            var writers = program.Kernels.Select((k, i) => (Kernel: k, Index: i)).Where(k => k.Kernel.Outputs.Any(o => o.Id == update.Id)).ToList();
            if (writers is [{ Kernel: MapKernel map, Index: var at }]
                && named.TryGetValue(update.Replaces!, out var old)
                && ReadsOnlyOwnElement(map, old)
                && !program.Kernels.Skip(at + 1).Any(k => k.Reads.Any(b => b.Id == old.Id)))
            {
                moved[update.Id] = old;
            }
        }
        return moved.Count == 0 ? program : program with { Kernels = [.. program.Kernels.Select(k => Retarget(k, moved))] };
    }

    /// <summary>The updates of <paramref name="program"/> (after <see cref="Apply"/>) that are written in place: no kernel touches their own buffers.</summary>
    public static IReadOnlySet<int> WrittenInPlace(KernelProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var used = program.Kernels.SelectMany(k => k.Arguments).Select(b => b.Id).ToHashSet();
        return program.Buffers.Where(b => b.Replaces is not null && !used.Contains(b.Id)).Select(b => b.Id).ToHashSet();
    }

    // Every load of `old` indexes it with the kernel's loop variables in order: the element the iteration writes.
    private static bool ReadsOnlyOwnElement(MapKernel kernel, KernelBuffer old) =>
        kernel.Results.SelectMany(r => ExprWalker.Loads(r.Body)).Where(l => l.Buffer.Id == old.Id).All(l =>
            l.Indices.Length == kernel.Loops.Length && l.Indices.Select((index, i) => index is LoopVar v && v == kernel.Loops[i].Var).All(same => same));

    private static Kernel Retarget(Kernel kernel, Dictionary<int, KernelBuffer> moved)
    {
        var output = moved.GetValueOrDefault(kernel.Output.Id, kernel.Output);
        return kernel switch
        {
            MapKernel map => map with
            {
                Output = output,
                Body = Retarget(map.Body, moved),
                Siblings = [.. map.Siblings.Select(s => new MapResult(moved.GetValueOrDefault(s.Output.Id, s.Output), Retarget(s.Body, moved)))],
            },
            GemmKernel gemm => gemm with { Output = output, A = Retarget(gemm.A, moved), B = Retarget(gemm.B, moved), Epilogue = Retarget(gemm.Epilogue, moved) },
            _ => throw new InvalidOperationException($"no in-place retargeting for {kernel.GetType().Name}"),
        };
    }

    private static Expr Retarget(Expr expr, Dictionary<int, KernelBuffer> moved) => expr switch
    {
        Load e => new Load(moved.GetValueOrDefault(e.Buffer.Id, e.Buffer), [.. e.Indices.Select(i => Retarget(i, moved))]),
        IndexBinary e => e with { Left = Retarget(e.Left, moved), Right = Retarget(e.Right, moved) },
        Unary e => e with { Operand = Retarget(e.Operand, moved) },
        Binary e => e with { Left = Retarget(e.Left, moved), Right = Retarget(e.Right, moved) },
        Compare e => e with { Left = Retarget(e.Left, moved), Right = Retarget(e.Right, moved) },
        Select e => e with { Condition = Retarget(e.Condition, moved), Then = Retarget(e.Then, moved), Otherwise = Retarget(e.Otherwise, moved) },
        Cast e => e with { Operand = Retarget(e.Operand, moved) },
        Reduce e => e with { Extents = [.. e.Extents.Select(x => Retarget(x, moved))], Body = Retarget(e.Body, moved) },
        LoopVar or IndexConst or SymbolValue or Constant or Accumulator => expr,
        _ => throw new InvalidOperationException($"no in-place retargeting for the expression {expr.GetType().Name}"),
    };
}
