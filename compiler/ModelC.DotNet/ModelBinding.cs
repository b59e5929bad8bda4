using ModelC.Runtime.Packaging;

namespace ModelC.DotNet;

/// <summary>What the generated class of one model is made from.</summary>
/// <param name="Code">The compiled programs (forward pass, and the train step when the model has a loss).</param>
/// <param name="Documentation">The model's <c>///</c> comment in the <c>.mdl</c> file, if any.</param>
public sealed record ModelBinding(BundledModel Code, string? Documentation);
