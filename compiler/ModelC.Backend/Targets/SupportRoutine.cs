namespace ModelC.Backend.Targets;

/// <summary>
/// Code that a target's kernels call rather than contain (the CPU's GEMM register tiles and
/// transposes): compiled once into an object of its own, cached like a kernel's, and loaded or
/// linked with every program whose kernels need it (<see cref="ICompileTarget.SupportOf"/>).
/// Kernels stay small, and a routine shared by hundreds of kernels is optimised once.
/// </summary>
public abstract record SupportRoutine
{
    /// <summary>
    /// The routine's symbol, which says everything its code depends on besides the target and the
    /// code generator (those are in its <see cref="Driver.KernelKey"/>); equal names are one routine.
    /// </summary>
    public abstract string Name { get; }
}
