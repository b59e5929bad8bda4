namespace ModelC.Runtime.Manifest;

/// <summary>
/// Another build of a manifest's program for a more capable CPU (an x86-64 level with AVX-512,
/// say), recorded in the manifest of the portable build (<see cref="ModelManifest.Variants"/>).
/// The runtime runs the first variant whose <see cref="ModelManifest.CpuFeatures"/> the processor
/// has, else the portable build itself (<see cref="CpuVariants"/>).
/// </summary>
/// <param name="Cpu">The CPU the variant was compiled for, e.g. <c>x86-64-v4</c>.</param>
/// <param name="Library">The file name of its library, in the folder (or bundle folder) of the manifest.</param>
/// <param name="Manifest">Its own complete manifest: the same model and tensors, its own kernels, features and library hash.</param>
public sealed record CpuVariant(string Cpu, string Library, ModelManifest Manifest);
