namespace ModelC.Runtime.Packaging;

/// <summary>A build of a bundled program for a more capable CPU (<see cref="BundledProgram.Variants"/>).</summary>
/// <param name="Cpu">The CPU it was compiled for, e.g. <c>x86-64-v4</c>.</param>
/// <param name="Program">Its manifest and library.</param>
public sealed record BundledVariant(string Cpu, BundledProgram Program);
