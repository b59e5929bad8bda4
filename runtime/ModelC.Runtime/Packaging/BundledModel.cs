using System.Collections.Immutable;
using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Packaging;

/// <summary>One compiled program of a model: its manifest and the shared library with its kernels.</summary>
/// <param name="Manifest">What the runtime needs besides the code.</param>
/// <param name="Library">The bytes of the shared library.</param>
public sealed record BundledProgram(ModelManifest Manifest, byte[] Library)
{
    /// <summary>Builds of the same program for more capable CPUs, most demanding first; empty for a build for one CPU.</summary>
    public ImmutableArray<BundledVariant> Variants { get; init; } = [];

    /// <summary>
    /// The same program built for ILGPU accelerators (<c>modelc build --device</c>): its manifest, with
    /// the SHA-256 of its kernel assembly, and the assembly's bytes; null for a program built for the CPU only.
    /// </summary>
    public BundledProgram? Gpu { get; init; }

    /// <summary>
    /// The build to run on this processor: the first variant whose features <paramref name="isSupported"/>
    /// (by default: this CPU) has, else this program itself; either with this program's <see cref="Gpu"/> build.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not even this program's code runs here; the message names the missing features.</exception>
    public BundledProgram ForThisCpu(Func<string, bool>? isSupported = null) =>
        CpuVariants.Choose([.. Variants.Select(v => v.Program), this], p => p.Manifest, isSupported) with { Gpu = Gpu };
}

/// <summary>
/// A model as a generated .NET class carries it: the inference program (the forward pass with
/// running statistics), and the train step when the model has a loss.
/// </summary>
/// <param name="Name">The model's name.</param>
/// <param name="Inference">The forward pass.</param>
/// <param name="Training">The train step (forward, backward and optimizer update), or null.</param>
public sealed record BundledModel(string Name, BundledProgram Inference, BundledProgram? Training)
{
    /// <summary>The model with, for each program, the build to run on this processor (<see cref="BundledProgram.ForThisCpu"/>).</summary>
    /// <exception cref="InvalidOperationException">A program's code does not run here.</exception>
    public BundledModel ForThisCpu(Func<string, bool>? isSupported = null) =>
        new(Name, Inference.ForThisCpu(isSupported), Training?.ForThisCpu(isSupported));
}
