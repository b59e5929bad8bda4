using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Backend.Scheduling;
using ModelC.Backend.Targets;
using ModelC.Compiler.IR;
using ModelC.Runtime;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Artifacts;

/// <summary>Describes a <see cref="KernelProgram"/> for the runtime: buffers with lifetimes, named tensors, the schedule.</summary>
public static class ManifestBuilder
{
    /// <summary>The manifest of <paramref name="program"/> compiled for <paramref name="target"/>.</summary>
    /// <param name="program">The kernels and buffers.</param>
    /// <param name="target">What the kernels were compiled for: the device, its description and the scratch memory.</param>
    /// <param name="training">For a train step (<see cref="Compiler.Passes.Optimizers.TrainStep"/>), its optimizer and driven tensors.</param>
    public static ModelManifest Build(KernelProgram program, ICompileTarget target, TrainingSpec? training = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(target);
        var first = new Dictionary<int, int>();
        var last = new Dictionary<int, int>();
        for (var k = 0; k < program.Kernels.Length; k++)
        {
            foreach (var buffer in program.Kernels[k].Arguments)
            {
                first.TryAdd(buffer.Id, k);
                last[buffer.Id] = k;
            }
        }
        var buffers = program.Buffers.Select(b => new BufferSpec(
            b.Id,
            b.Type,
            [.. b.Shape.Select(d => d.ToString())],
            b.IsTemporary,
            first.GetValueOrDefault(b.Id),
            last.GetValueOrDefault(b.Id))).ToImmutableArray();
        var inPlace = InPlaceUpdates.WrittenInPlace(program);
        var tensors = program.Buffers
            .Where(b => !b.IsTemporary)
            .Select(b => new TensorSpec(b.Name!, b.Role!.Value, b.Id, b.Init, b.Replaces, b.IndexBound, inPlace.Contains(b.Id)))
            .ToImmutableArray();
        var kernels = program.Kernels
            .Select(k => new KernelSpec(k.Symbol, [.. k.Arguments.Select(b => b.Id)], k.Description, KindOf(k)))
            .ToImmutableArray();
        return new ModelManifest(
            ModelManifest.CurrentFormatVersion, program.Name, target.Description, target.Device, program.Symbols,
            buffers, tensors, kernels, target.ScratchBytes(program), training, CpuFeatures: target.RequiredFeatures);
    }

    private static KernelKind KindOf(Kernel kernel) => kernel switch
    {
        MapKernel => KernelKind.Map,
        GemmKernel => KernelKind.Gemm,
        _ => throw new InvalidOperationException($"no manifest kind for {kernel.GetType().Name}"),
    };
}
