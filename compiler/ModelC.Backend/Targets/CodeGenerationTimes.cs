namespace ModelC.Backend.Targets;

/// <summary>
/// What one call of an <see cref="IKernelCodeGenerator"/> spent in each stage, and how large the
/// module was before and after optimisation (LLVM instructions), for compile-time reports. The
/// times are CPU time of the thread that compiled the module (the CPU generator's), so that their
/// sum over kernels compiled on several workers is the work done, whatever the machine's load.
/// </summary>
/// <param name="Emit">Building the module's IR.</param>
/// <param name="Optimise">The optimisation pipeline.</param>
/// <param name="CodeGeneration">Object code generation.</param>
/// <param name="InstructionsEmitted">Instructions in the module as emitted.</param>
/// <param name="InstructionsOptimised">Instructions in the module after optimisation.</param>
public readonly record struct CodeGenerationTimes(TimeSpan Emit, TimeSpan Optimise, TimeSpan CodeGeneration, int InstructionsEmitted, int InstructionsOptimised)
{
    /// <summary>The three stages together.</summary>
    public TimeSpan Total => Emit + Optimise + CodeGeneration;
}
