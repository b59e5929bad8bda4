using ModelC.Runtime.Manifest;

namespace ModelC.Runtime.Packaging;

/// <summary>One compiled program of a model: its manifest and the shared library with its kernels.</summary>
/// <param name="Manifest">What the runtime needs besides the code.</param>
/// <param name="Library">The bytes of the shared library.</param>
public sealed record BundledProgram(ModelManifest Manifest, byte[] Library);

/// <summary>
/// A model as a generated .NET class carries it: the inference program (the forward pass with
/// running statistics), and the train step when the model has a loss.
/// </summary>
/// <param name="Name">The model's name.</param>
/// <param name="Inference">The forward pass.</param>
/// <param name="Training">The train step (forward, backward and optimizer update), or null.</param>
public sealed record BundledModel(string Name, BundledProgram Inference, BundledProgram? Training);
