using ModelC.Compiler.Autodiff;
using ModelC.Compiler.IR;

namespace ModelC.Compiler.Passes;

/// <summary>
/// Reverse-mode differentiation as a pipeline pass: adds the loss gradient of every parameter
/// as a <see cref="OutputRole.Gradient"/> result (the rules are <see cref="ReverseMode"/>'s).
/// </summary>
public sealed class ReverseModePass : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "autodiff";

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The graph has no loss.</exception>
    public Graph Run(Graph graph) => ReverseMode.Differentiate(graph);
}
