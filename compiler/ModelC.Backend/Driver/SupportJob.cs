using ModelC.Backend.Targets;

namespace ModelC.Backend.Driver;

/// <summary>One support routine to compile: its key and the routine.</summary>
/// <param name="Key">The routine's key (<see cref="SupportFingerprint"/>).</param>
/// <param name="Routine">The routine.</param>
internal sealed record SupportJob(KernelKey Key, SupportRoutine Routine) : ObjectJob(Key)
{
    /// <inheritdoc/>
    public override ObjectCode Compile(IKernelCodeGenerator generator) => generator.Compile(Routine);

    /// <inheritdoc/>
    /// <remarks>A routine holds the code that costs most to optimise (GEMM micro-kernels).</remarks>
    public override int Order => 0;

    /// <inheritdoc/>
    public override string Origin => $"support routine {Routine.Name}";
}
