using System.Collections.Immutable;
using ModelC.Backend.Kernels;
using ModelC.Runtime.Execution;
using ModelC.Runtime.Manifest;

namespace ModelC.Backend.Targets;

/// <summary>
/// What kernels are compiled for. Everything that depends on the target is asked of it: the device
/// kind the manifest records (which fixes the runtime's memory and calling convention), the
/// scratch memory its kernels need, the object code of each kernel, and the two forms a program's
/// code takes — loaded into this process, or linked into a library file for the runtime to load.
/// <see cref="Cpu.CpuTarget"/> is the only implementation; see docs/backend.md for adding one.
/// </summary>
public interface ICompileTarget
{
    /// <summary>The device the code runs on, recorded in the manifest.</summary>
    DeviceKind Device { get; }

    /// <summary>The target in words, recorded in the manifest (e.g. <c>x86_64-pc-linux-gnu (sapphirerapids)</c>).</summary>
    string Description { get; }

    /// <summary>
    /// Everything about the target and its tool chain that changes the code it emits (triple, CPU,
    /// features, the code generator library's version…). It is part of every kernel's
    /// <see cref="Driver.KernelKey"/>: a cached object compiled under another identity is never reused.
    /// </summary>
    string Identity { get; }

    /// <summary>
    /// The instruction-set features the code needs, by the names the runtime checks at load
    /// (<see cref="CpuFeatureSupport.Known"/>), recorded in the manifest; empty when it checks none.
    /// </summary>
    ImmutableArray<string> RequiredFeatures { get; }

    /// <summary>Floats per vector register that the scheduler tiles the target's kernels for (GEMM register tiles).</summary>
    int VectorLanes { get; }

    /// <summary>What the target's kernels do that the fusion plan may rely on.</summary>
    TargetCapabilities Capabilities { get; }

    /// <summary>Bytes of scratch memory each worker of the device needs to run <paramref name="program"/>.</summary>
    long ScratchBytes(KernelProgram program);

    /// <summary>The support routines that the code of <paramref name="kernel"/> calls (none for most kernels).</summary>
    IReadOnlyList<SupportRoutine> SupportOf(Kernel kernel);

    /// <summary>A code generator for one worker thread: it compiles kernels one at a time and is not shared between threads.</summary>
    /// <param name="measure">Whether its objects carry <see cref="ObjectCode.Times"/> (for <c>--timings</c>); measuring costs compile time.</param>
    IKernelCodeGenerator CreateCodeGenerator(bool measure = false);

    /// <summary>Loads the objects' kernels into this process.</summary>
    /// <exception cref="NotSupportedException">The target's code cannot run in this process (another architecture).</exception>
    IKernelLibrary Load(IReadOnlyList<KernelObject> objects);

    /// <summary>
    /// Links the objects into the library file the runtime loads for <see cref="Device"/>, stamped
    /// with <paramref name="manifestSha256"/> (<see cref="ManifestHash"/>) where the runtime checks
    /// it; returns its bytes.
    /// </summary>
    /// <param name="objects">The kernels' and support routines' objects.</param>
    /// <param name="manifestSha256">The <see cref="ManifestHash"/> of the manifest the library belongs to.</param>
    /// <exception cref="InvalidOperationException">The linker is missing or failed.</exception>
    byte[] Link(IReadOnlyList<KernelObject> objects, byte[] manifestSha256);
}
